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
}

export interface Account {
  readonly email: string;
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly name?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly activatedAt?: string;
  /** SHA-256 of the current verification link's token; kept after use so a reuse answers 409. */
  readonly verifyTokenHash?: string;
  /** Epoch seconds after which the current verification link no longer works. */
  readonly verifyExpiresAt?: number;
  /** Per-recipient email limit: when the last email went out (epoch s) and the count on that UTC day. */
  readonly lastEmailAt?: number;
  readonly emailDay?: string;
  readonly emailDayCount?: number;
  /** Epoch seconds when DynamoDB may delete a never-verified account. */
  readonly expireAt?: number;
  readonly history: readonly HistoryEntry[];
  /** Optimistic lock: every write is conditional on the version that was read. */
  readonly version: number;
}

export interface EmailLimits {
  readonly cooldownSeconds: number;
  readonly perDay: number;
}

export interface Moment {
  /** Epoch milliseconds. */
  readonly nowMs: number;
  readonly ip: string;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Unverified accounts linger this long after their link expires, then DynamoDB TTL removes them. */
const PENDING_RETENTION_SECONDS = 7 * 86_400;

/** May one more email go to this recipient now? (One per cooldown, at most `perDay` per UTC day.) */
export function mayEmail(account: Account | undefined, nowMs: number, limits: EmailLimits): boolean {
  if (!account || account.lastEmailAt === undefined) return true;
  const now = seconds(nowMs);
  if (now - account.lastEmailAt < limits.cooldownSeconds) return false;
  const sentToday = account.emailDay === utcDay(nowMs) ? (account.emailDayCount ?? 0) : 0;
  return sentToday < limits.perDay;
}

function withEmailCounted(account: Account, nowMs: number): Account {
  const day = utcDay(nowMs);
  const sentToday = account.emailDay === day ? (account.emailDayCount ?? 0) : 0;
  return { ...account, lastEmailAt: seconds(nowMs), emailDay: day, emailDayCount: sentToday + 1 };
}

function withEvent(account: Account, event: string, by: string, at: Moment): Account {
  return {
    ...account,
    updatedAt: iso(at.nowMs),
    history: [...account.history, { at: iso(at.nowMs), event, by, ip: at.ip }],
    version: account.version + 1,
  };
}

export type SignUpPlan =
  | { readonly action: 'send_link'; readonly next: Account; readonly expected: number | null }
  | { readonly action: 'send_notice'; readonly next: Account; readonly expected: number }
  | { readonly action: 'nothing'; readonly reason: 'email_limit' | 'state' };

export interface SignUpRequest {
  readonly email: string;
  readonly name?: string;
  readonly tokenHash: string;
  readonly verifyTtlSeconds: number;
}

/**
 * What a sign-up does to an address, whatever state it is in. The caller answers the same way
 * in every case; only the email (a new link, a notice, or none) differs.
 */
export function planSignUp(
  existing: Account | undefined,
  request: SignUpRequest,
  at: Moment,
  limits: EmailLimits,
): SignUpPlan {
  if (!mayEmail(existing, at.nowMs, limits)) return { action: 'nothing', reason: 'email_limit' };
  const verifyExpiresAt = seconds(at.nowMs) + request.verifyTtlSeconds;
  const link = {
    verifyTokenHash: request.tokenHash,
    verifyExpiresAt,
    expireAt: verifyExpiresAt + PENDING_RETENTION_SECONDS,
  };

  if (!existing) {
    const created: Account = {
      email: request.email,
      kind: 'agency',
      status: 'pending',
      ...(request.name ? { name: request.name } : {}),
      createdAt: iso(at.nowMs),
      updatedAt: iso(at.nowMs),
      ...link,
      history: [],
      version: 0,
    };
    return { action: 'send_link', next: withEmailCounted(withEvent(created, 'signup_requested', 'self', at), at.nowMs), expected: null };
  }
  if (existing.status === 'pending' && existing.kind === 'agency') {
    const renewed: Account = { ...existing, ...link, ...(request.name ? { name: request.name } : {}) };
    return { action: 'send_link', next: withEmailCounted(withEvent(renewed, 'link_resent', 'self', at), at.nowMs), expected: existing.version };
  }
  if (existing.status === 'active') {
    return { action: 'send_notice', next: withEmailCounted(withEvent(existing, 'notice_sent', 'self', at), at.nowMs), expected: existing.version };
  }
  return { action: 'nothing', reason: 'state' };
}

export type LinkState =
  | { readonly state: 'invalid' }
  | { readonly state: 'expired' }
  | { readonly state: 'done'; readonly status: AccountStatus }
  | { readonly state: 'ready'; readonly account: Account };

/** Classifies a verification link's token against the account it points to. Never changes anything. */
export function classifyVerification(account: Account | undefined, tokenHash: string, nowMs: number): LinkState {
  if (!account || account.verifyTokenHash !== tokenHash) return { state: 'invalid' };
  if (account.status !== 'pending') return { state: 'done', status: account.status };
  if (account.verifyExpiresAt === undefined || seconds(nowMs) >= account.verifyExpiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

/** pending → active (agency) or awaiting_sponsor (contractor). Only for a `ready` link. */
export function confirmEmail(account: Account, at: Moment): Account {
  const status: AccountStatus = account.kind === 'agency' ? 'active' : 'awaiting_sponsor';
  const { expireAt: _retention, ...kept } = account;
  const confirmed: Account = {
    ...kept,
    status,
    ...(status === 'active' ? { activatedAt: iso(at.nowMs) } : {}),
  };
  return withEvent(confirmed, 'email_verified', 'self', at);
}
