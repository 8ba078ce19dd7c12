import {
  type Account,
  type AccountKind,
  iso,
  type LinkState,
  type Moment,
  PENDING_RETENTION_SECONDS,
  resumableByVerifying,
  seconds,
} from './account';
import { withEvent } from './account-history';
import { holdsRequest } from './held-request';

/**
 * Classifies a verification link's token against the account its link id names: one of the
 * newest links, or nothing. Never changes anything.
 */
export function classifyVerification(account: Account | undefined, tokenHash: string, nowMs: number): LinkState {
  const link = account?.verifyLinks?.find((candidate) => candidate.hash === tokenHash);
  if (!account || !link) return { state: 'invalid' };
  const transferring = account.status === 'active' && account.transfer !== undefined;
  const open = account.status === 'pending' || resumableByVerifying(account) || transferring || holdsRequest(account);
  if (!open) return { state: 'done', status: account.status };
  if (seconds(nowMs) >= link.expiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

/** What the confirmation page shows before a person confirms: for a contractor, everything their sponsor will see. */
export interface PendingSummary {
  readonly email: string;
  readonly kind: AccountKind;
  readonly name?: string;
  readonly sponsorEmail?: string;
  readonly company?: string;
  readonly justification?: string;
}

export function pendingSummary(account: Account): PendingSummary {
  // A request for another sponsor shows whom it asks.
  const request = account.transfer ?? account.request;
  return {
    email: account.email,
    kind: account.kind,
    ...(account.name ? { name: account.name } : {}),
    ...(request ? { sponsorEmail: request.sponsorEmail, company: request.company, justification: request.justification } : {}),
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
