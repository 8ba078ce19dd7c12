import {
  type Account,
  type AccountKind,
  iso,
  LIVE_LINKS,
  type Moment,
  PENDING_RETENTION_SECONDS,
  resumableByVerifying,
  type SponsorshipRequest,
  seconds,
  type VerifyLink,
} from './account';
import { touched, withEvent } from './account-history';
import { mailboxOf } from './address';
import { startedClean } from './held-request';
import { statusAt } from './lifecycle';
import type { Agency } from './registry';

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
  /** The registry's agency of the address (a contractor: of their sponsor), when the registry decides it. */
  readonly agency?: Agency;
  /** An agency address's registered domain, when the registry listed it (how its accounts are found if it leaves). */
  readonly registeredDomain?: string;
}

/**
 * A contractor may ask again once their sponsor's approval link expired unanswered (swept to
 * `no_decision` or not), or once their access has expired (swept or not); anyone whose account
 * ended unused may sign up again.
 */
function mayAskAgain(account: Account, nowMs: number): boolean {
  // An agency account ends only when unused (dormant): its person may sign up again.
  if (account.kind !== 'contractor') return account.status === 'expired';
  if (statusAt(account, nowMs) === 'expired' || account.status === 'no_decision') return true;
  return account.status === 'awaiting_sponsor' && account.approvalExpiresAt !== undefined && account.approvalExpiresAt <= seconds(nowMs);
}

/** An active contractor whose sponsor's mailbox bounced may name another sponsor (not while one such request waits for a decision). */
function mayTransfer(account: Account, request: SignUpRequest, nowMs: number): boolean {
  const current = account.sponsoredBy ?? account.request?.sponsorEmail;
  return (
    account.kind === 'contractor' &&
    statusAt(account, nowMs) === 'active' &&
    account.sponsorUnreachableAt !== undefined &&
    !account.transferPending &&
    request.sponsorship !== undefined &&
    current !== undefined &&
    mailboxOf(request.sponsorship.sponsorEmail) !== mailboxOf(current)
  );
}

const hasLiveLink = (account: Account, nowMs: number): boolean =>
  (account.verifyLinks ?? []).some((link) => link.expiresAt > seconds(nowMs));

/** An active or suspended account's links for a new request: the ones still live, and the new one (the newest LIVE_LINKS). */
function liveLinksWith(existing: Account, link: VerifyLink, nowMs: number): VerifyLink[] {
  return [...(existing.verifyLinks ?? []).filter((live) => live.expiresAt > seconds(nowMs)), link].slice(-LIVE_LINKS);
}

/** A pending request whose newest link still works: only its owner decides what becomes of it. */
export function isLivePending(account: Account, nowMs: number): boolean {
  return account.status === 'pending' && hasLiveLink(account, nowMs);
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
    ...(request.agency ? { agency: request.agency } : {}),
    ...(request.registeredDomain ? { registeredDomain: request.registeredDomain } : {}),
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
  if (existing.kind === kind && existing.status !== 'pending' && existing.activatedAt !== undefined && mayAskAgain(existing, at.nowMs)) {
    // Once it had access, the record stays as it is until the owner confirms; a held request whose
    // link still works is immutable, as a pending one is.
    const live = existing.heldRequest !== undefined && hasLiveLink(existing, at.nowMs);
    const holding: Account = {
      ...existing,
      heldRequest: live ? existing.heldRequest : details,
      linkId: existing.linkId ?? request.linkId,
      verifyLinks: liveLinksWith(existing, link, at.nowMs),
    };
    return { action: 'send_link', next: live ? touched(holding, at) : withEvent(holding, event, 'self', at), expected: existing.version };
  }
  if (existing.kind === kind && (existing.status === 'pending' || mayAskAgain(existing, at.nowMs))) {
    // A request that never granted access is replaced, and removed by TTL if never confirmed.
    const keep = existing.activatedAt === undefined ? retention : {};
    const renewed: Account = {
      ...startedClean(existing),
      status: 'pending',
      linkId: request.linkId,
      verifyLinks: [link],
      ...keep,
      ...details,
    };
    return { action: 'send_link', next: withEvent(renewed, event, 'self', at), expected: existing.version };
  }
  if (existing.kind === kind && existing.status === 'active' && mayTransfer(existing, request, at.nowMs)) {
    // Their sponsor's mailbox is gone: the request for another sponsor waits for its owner's
    // confirmation; their access is untouched meanwhile.
    const asking: Account = {
      ...existing,
      transfer: request.sponsorship!,
      linkId: existing.linkId ?? request.linkId,
      verifyLinks: liveLinksWith(existing, link, at.nowMs),
    };
    return { action: 'send_link', next: withEvent(asking, 'transfer_requested', 'self', at), expected: existing.version };
  }
  if (existing.kind === kind && existing.status === 'active') {
    return { action: 'send_notice' };
  }
  if (existing.kind === kind && resumableByVerifying(existing)) {
    // The mailbox works again: confirming the address resumes the account as it was (its request
    // and period unchanged); nothing else of this request is taken.
    const resuming: Account = {
      ...existing,
      linkId: existing.linkId ?? request.linkId,
      verifyLinks: liveLinksWith(existing, link, at.nowMs),
    };
    return { action: 'send_link', next: withEvent(resuming, 'resume_requested', 'self', at), expected: existing.version };
  }
  return { action: 'nothing', reason: 'state' };
}
