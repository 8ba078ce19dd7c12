/**
 * Accounts and their moves (DESIGN §3). Pure: every function takes the current record and the
 * time and returns the next record or a decision; the store writes it conditionally.
 *
 *   agency:      pending ──verify──▶ active ──revoke──▶ revoked
 *   contractor:  pending ──verify──▶ awaiting_sponsor ──approve──▶ active ──▶ expired
 *                                                     └──deny────▶ denied
 */

export type AccountKind = 'agency' | 'contractor';
export type AccountStatus = 'pending' | 'active' | 'awaiting_sponsor' | 'denied' | 'revoked' | 'expired';

export interface HistoryEntry {
  /** ISO 8601 time of the event. */
  readonly at: string;
  readonly event: string;
  /** Who acted: the account holder's own request, a sponsor, an operator. */
  readonly by: string;
  /** The client address that sent the request. */
  readonly ip?: string;
  /** How the actor was authenticated: a sponsor's decision comes through the link emailed to them. */
  readonly via?: 'emailed_link';
}

/** What a contractor asked for; `id` names the request in the sponsor's link (never the person). */
export interface SponsorshipRequest {
  readonly id: string;
  readonly company: string;
  readonly sponsorEmail: string;
  readonly justification: string;
  readonly requestedAt: string;
}

export type Decision = 'approve' | 'deny';

/** What a sponsor is shown of a request: never token hashes, history or client addresses. */
export interface ContractorSummary {
  readonly name?: string;
  readonly email: string;
  readonly company: string;
  readonly justification: string;
  readonly requestedAt: string;
}

export interface VerifyLink {
  readonly hash: string;
  /** Epoch seconds after which this link no longer works. */
  readonly expiresAt: number;
}

/**
 * How many of a pending account's newest links work. More than one, so a stranger's resend
 * cannot cancel the link its owner just asked for; few, so old links do not linger.
 */
export const LIVE_LINKS = 3;

export interface Account {
  readonly email: string;
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly name?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly activatedAt?: string;
  /** Names the account's verification links (index `byLink`); kept after use, so a used link answers 409. */
  readonly linkId?: string;
  /** The newest verification links (at most LIVE_LINKS), oldest first: SHA-256 of each token and its expiry. */
  readonly verifyLinks?: readonly VerifyLink[];
  /** Epoch seconds when DynamoDB may delete a never-verified account. */
  readonly expireAt?: number;
  /** Contractors: the open request (its id also at the top level, for the request index). */
  readonly requestId?: string;
  readonly request?: SponsorshipRequest;
  /** The `jti` of the one approval token that may decide the request, and when it stops working. */
  readonly approvalJti?: string;
  readonly approvalExpiresAt?: number;
  readonly sponsoredBy?: string;
  readonly approvedAt?: string;
  readonly accessExpiresAt?: string;
  readonly deniedAt?: string;
  readonly decisionReason?: string;
  readonly history: readonly HistoryEntry[];
  /** Optimistic lock: every write is conditional on the version that was read. */
  readonly version: number;
}

export interface Moment {
  /** Epoch milliseconds. */
  readonly nowMs: number;
  readonly ip: string;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Unverified accounts linger this long after their link expires, then DynamoDB TTL removes them. */
const PENDING_RETENTION_SECONDS = 7 * 86_400;

/** A write that changes no state (a new link for the same request): no history entry, so no request can grow the item. */
function touched(account: Account, at: Moment): Account {
  return { ...account, updatedAt: iso(at.nowMs), version: account.version + 1 };
}

/** A state change and its audit entry: the history records state changes only, never emails sent. */
function withEvent(account: Account, event: string, by: string, at: Moment, via?: HistoryEntry['via']): Account {
  return {
    ...account,
    updatedAt: iso(at.nowMs),
    history: [...account.history, { at: iso(at.nowMs), event, by, ip: at.ip, ...(via ? { via } : {}) }],
    version: account.version + 1,
  };
}

export type SignUpPlan =
  | { readonly action: 'send_link'; readonly next: Account; readonly expected: number | null }
  /** The owner of an active account is told; the account itself does not change. */
  | { readonly action: 'send_notice' }
  | { readonly action: 'nothing'; readonly reason: 'state' };

export interface SignUpRequest {
  readonly email: string;
  readonly name?: string;
  /** The account's link id (kept from the stored account, else new) and the new link's hash. */
  readonly linkId: string;
  readonly tokenHash: string;
  readonly verifyTtlSeconds: number;
  /** Present for a contractor's request; absent for a gov/mil self sign-up. */
  readonly sponsorship?: SponsorshipRequest;
}

/** A contractor whose sponsor never answered may ask again once the approval link has expired. */
function mayAskAgain(account: Account, nowMs: number): boolean {
  return (
    account.kind === 'contractor' &&
    account.status === 'awaiting_sponsor' &&
    account.approvalExpiresAt !== undefined &&
    account.approvalExpiresAt <= seconds(nowMs)
  );
}

/** A pending request whose newest link still works: only its owner decides what becomes of it. */
function isLivePending(account: Account, nowMs: number): boolean {
  return account.status === 'pending' && (account.verifyLinks ?? []).some((link) => link.expiresAt > seconds(nowMs));
}

/**
 * What a sign-up or a contractor's request does to an address, whatever state it is in. The
 * caller answers the same way in every case; only the email (a new link, a notice, or none)
 * differs. A pending request is immutable while its link lives: a new request re-sends a link
 * for the same request (name, sponsor, company, justification unchanged) and never replaces it.
 */
export function planSignUp(existing: Account | undefined, request: SignUpRequest, at: Moment): SignUpPlan {
  const link: VerifyLink = { hash: request.tokenHash, expiresAt: seconds(at.nowMs) + request.verifyTtlSeconds };
  const retention = { expireAt: link.expiresAt + PENDING_RETENTION_SECONDS };

  const kind: AccountKind = request.sponsorship ? 'contractor' : 'agency';
  const details = {
    ...(request.name ? { name: request.name } : {}),
    ...(request.sponsorship ? { request: request.sponsorship, requestId: request.sponsorship.id } : {}),
  };
  const event = request.sponsorship ? 'sponsorship_requested' : 'signup_requested';

  if (!existing) {
    const created: Account = {
      email: request.email,
      kind,
      status: 'pending',
      ...details,
      createdAt: iso(at.nowMs),
      updatedAt: iso(at.nowMs),
      linkId: request.linkId,
      verifyLinks: [link],
      ...retention,
      history: [],
      version: 0,
    };
    return { action: 'send_link', next: withEvent(created, event, 'self', at), expected: null };
  }
  if (existing.kind === kind && isLivePending(existing, at.nowMs)) {
    const links = [...(existing.verifyLinks ?? []), link].slice(-LIVE_LINKS);
    const resent: Account = { ...existing, verifyLinks: links, ...retention };
    return {
      action: 'send_link',
      next: touched(resent, at),
      expected: existing.version,
    };
  }
  if (existing.kind === kind && (existing.status === 'pending' || mayAskAgain(existing, at.nowMs))) {
    const { approvalJti: _jti, approvalExpiresAt: _expires, name: _name, ...rest } = existing;
    const renewed: Account = { ...rest, status: 'pending', linkId: request.linkId, verifyLinks: [link], ...retention, ...details };
    return { action: 'send_link', next: withEvent(renewed, event, 'self', at), expected: existing.version };
  }
  if (existing.kind === kind && existing.status === 'active') {
    return { action: 'send_notice' };
  }
  return { action: 'nothing', reason: 'state' };
}

export type LinkState =
  | { readonly state: 'invalid' }
  | { readonly state: 'expired' }
  | { readonly state: 'done'; readonly status: AccountStatus }
  | { readonly state: 'ready'; readonly account: Account };

/**
 * Classifies a verification link's token against the account its link id names: one of the
 * newest links, or nothing. Never changes anything.
 */
export function classifyVerification(account: Account | undefined, tokenHash: string, nowMs: number): LinkState {
  const link = account?.verifyLinks?.find((candidate) => candidate.hash === tokenHash);
  if (!account || !link) return { state: 'invalid' };
  if (account.status !== 'pending') return { state: 'done', status: account.status };
  if (seconds(nowMs) >= link.expiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

/** What the confirmation page shows before a person confirms: what, for a contractor, is asked of whom. */
export interface PendingSummary {
  readonly email: string;
  readonly kind: AccountKind;
  readonly sponsorEmail?: string;
  readonly company?: string;
}

export function pendingSummary(account: Account): PendingSummary {
  return {
    email: account.email,
    kind: account.kind,
    ...(account.request ? { sponsorEmail: account.request.sponsorEmail, company: account.request.company } : {}),
  };
}

export interface ApprovalGrant {
  readonly jti: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/**
 * pending → active (agency), or → awaiting_sponsor (contractor) holding the `jti` of the one
 * approval token that may decide it. Only for a `ready` link.
 */
export function confirmEmail(account: Account, at: Moment, approval?: ApprovalGrant): Account {
  const { expireAt: _retention, ...kept } = account;
  if (account.kind === 'agency') {
    return withEvent({ ...kept, status: 'active', activatedAt: iso(at.nowMs) }, 'email_verified', 'self', at);
  }
  if (!approval) throw new Error('a contractor confirmation needs an approval grant');
  const awaiting: Account = {
    ...kept,
    status: 'awaiting_sponsor',
    approvalJti: approval.jti,
    approvalExpiresAt: approval.expiresAt,
    // An unanswered request is removed some time after its approval link has expired.
    expireAt: approval.expiresAt + PENDING_RETENTION_SECONDS,
  };
  return withEvent(awaiting, 'email_verified', 'self', at);
}

/** Classifies a sponsor's approval token (already verified as genuine) against the account. */
export function classifyApproval(account: Account | undefined, jti: string, nowMs: number): LinkState {
  if (account?.kind !== 'contractor' || account.approvalJti !== jti) return { state: 'invalid' };
  if (account.status !== 'awaiting_sponsor') return { state: 'done', status: account.status };
  if (account.approvalExpiresAt === undefined || seconds(nowMs) >= account.approvalExpiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

/** awaiting_sponsor → active (for `accessDays`) or denied. Only for a `ready` approval. */
export function decideSponsorship(
  account: Account,
  decision: Decision,
  reason: string | undefined,
  at: Moment,
  accessDays: number,
): Account {
  const { expireAt: _retention, ...kept } = account;
  const sponsor = account.request?.sponsorEmail ?? 'unknown';
  const note = reason ? { decisionReason: reason } : {};
  if (decision === 'approve') {
    const approved: Account = {
      ...kept,
      ...note,
      status: 'active',
      sponsoredBy: sponsor,
      approvedAt: iso(at.nowMs),
      activatedAt: iso(at.nowMs),
      accessExpiresAt: iso(at.nowMs + accessDays * 86_400_000),
    };
    return withEvent(approved, 'sponsorship_approved', `sponsor:${sponsor}`, at, 'emailed_link');
  }
  return withEvent(
    { ...kept, ...note, status: 'denied', deniedAt: iso(at.nowMs) },
    'sponsorship_denied',
    `sponsor:${sponsor}`,
    at,
    'emailed_link',
  );
}

export function contractorSummary(account: Account, request: SponsorshipRequest): ContractorSummary {
  return {
    ...(account.name ? { name: account.name } : {}),
    email: account.email,
    company: request.company,
    justification: request.justification,
    requestedAt: request.requestedAt,
  };
}

/** How many history entries an account item keeps; older ones move to archive items first. */
export const HISTORY_ON_ITEM = 100;

/** The account as stored (the newest HISTORY_ON_ITEM entries) and the older entries to archive. */
export function splitHistory(account: Account): { readonly kept: Account; readonly archived: readonly HistoryEntry[] } {
  const excess = account.history.length - HISTORY_ON_ITEM;
  if (excess <= 0) return { kept: account, archived: [] };
  return { kept: { ...account, history: account.history.slice(excess) }, archived: account.history.slice(0, excess) };
}
