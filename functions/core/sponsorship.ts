import {
  type Account,
  type ContractorSummary,
  type Decision,
  iso,
  type LinkState,
  type Moment,
  type SponsorshipRequest,
  seconds,
  type Via,
} from './account';
import { withEvent } from './account-history';
import { type LifecyclePolicy, period, scheduled } from './lifecycle';

/** Classifies a sponsor's approval token (already verified as genuine) against the account. */
export function classifyApproval(account: Account | undefined, jti: string, nowMs: number): LinkState {
  if (account?.kind !== 'contractor' || account.approvalJti !== jti) return { state: 'invalid' };
  if (account.status === 'no_decision') return { state: 'expired' };
  // A confirmed request for another sponsor is decided like a waiting one; the access stands meanwhile.
  const transferring = account.status === 'active' && account.transferPending === true;
  if (account.status !== 'awaiting_sponsor' && !transferring) return { state: 'done', status: account.status };
  if (account.approvalExpiresAt === undefined || seconds(nowMs) >= account.approvalExpiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

/** awaiting_sponsor → active (for one access period, its reminder scheduled) or denied. Only for a `ready` approval. */
export function decideSponsorship(
  account: Account,
  decision: Decision,
  reason: string | undefined,
  at: Moment,
  policy: LifecyclePolicy,
  decidedBy: { readonly name: string; readonly via?: Via },
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
      ...period(at.nowMs, policy),
    };
    return scheduled(withEvent(approved, 'sponsorship_approved', `sponsor:${decidedBy.name}`, at, decidedBy.via));
  }
  return withEvent(
    { ...kept, ...note, status: 'denied', deniedAt: iso(at.nowMs) },
    'sponsorship_denied',
    `sponsor:${decidedBy.name}`,
    at,
    decidedBy.via,
  );
}

export function contractorSummary(account: Account, request: SponsorshipRequest): ContractorSummary {
  return {
    ...(account.name ? { name: account.name } : {}),
    email: account.email,
    company: request.company,
    justification: request.justification,
    requestedAt: request.requestedAt,
    ...(account.agency ? { agency: account.agency } : {}),
  };
}
