import type { AccountStatus, ContractorSummary, Decision, LinkState } from '../core/account';
import { DECISION_CHANGES } from '../core/changes';
import { AlreadyDecidedError } from '../core/errors';
import type { LifecyclePolicy } from '../core/lifecycle';
import type { AccountStore, ApprovalClaims, ApprovalTokens, Clock, Log, Metrics, Notifier } from '../core/ports';
import { classifyApproval, contractorSummary } from '../core/sponsorship';
import { linkBase } from '../service/links';
import { changeAccount } from './change-account';
import type { DeliverDeps } from './deliver';
import { type RefusalTexts, refuseLink } from './refuse-link';

export interface ReviewDeps {
  readonly store: AccountStore;
  readonly approvals: ApprovalTokens;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

export interface DecideDeps extends ReviewDeps, DeliverDeps {
  readonly notifier: Notifier;
  readonly events: boolean;
  readonly lifecycle: LifecyclePolicy;
  readonly signInUrl?: string;
}

export type Outcome = 'approved' | 'denied';

/** The decision that stands for a decided request (an approved contractor may since have expired). */
export function outcomeOf(status: AccountStatus): Outcome {
  return status === 'denied' ? 'denied' : 'approved';
}

const REFUSAL: RefusalTexts = {
  invalid: 'This approval link is not valid. It may have been replaced by a newer one; use the newest link from your email.',
  expired: 'This approval link has expired. The contractor can send a new request.',
  done: (status) => new AlreadyDecidedError(`This request has already been ${outcomeOf(status)}.`, outcomeOf(status)),
};

/** The request a genuine token names, classified; a token that is not genuine is refused here. */
async function lookUp(token: string, deps: ReviewDeps): Promise<{ link: LinkState; claims: ApprovalClaims }> {
  const checked = await deps.approvals.check(token, deps.clock.nowMs());
  if (checked.verdict === 'invalid') return refuseLink('approval', { state: 'invalid' }, REFUSAL, deps);
  const { claims } = checked;
  const found = await deps.store.findByRequestId(claims.requestId);
  let link = classifyApproval(found, claims.jti, deps.clock.nowMs());
  // A final answer from an index copy is confirmed on the item (the copy may lag, or lead after a crash).
  if (found && link.state !== 'ready') link = classifyApproval(await deps.store.get(found.email), claims.jti, deps.clock.nowMs());
  // A genuine token past its `exp` is expired even if the record's own clock says otherwise.
  return { link: checked.verdict === 'expired' && link.state === 'ready' ? { state: 'expired' } : link, claims };
}

/** What the sponsor's review page shows. Reads only: mail scanners open every link. */
export async function reviewSponsorship(
  token: string,
  deps: ReviewDeps,
): Promise<{ state: 'ready'; request: ContractorSummary } | { state: 'done'; outcome: Outcome }> {
  const { link } = await lookUp(token, deps);
  if (link.state === 'done') return { state: 'done', outcome: outcomeOf(link.status) };
  if (link.state !== 'ready') return refuseLink('approval', link, REFUSAL, deps);
  const request = link.account.request;
  // A contractor account always carries its request; one without is no request to show.
  if (!request) return refuseLink('approval', { state: 'invalid' }, REFUSAL, deps);
  return { state: 'ready', request: contractorSummary(link.account, request) };
}

export interface DecideInput {
  readonly token: string;
  readonly decision: Decision;
  readonly reason?: string;
  readonly clientIp: string;
}

/**
 * The sponsor's click on Approve or Deny. Steps:
 * 1. verify the token (jose) and find the request by its id; the token must be the request's
 *    current one (`jti`) and the request still undecided (else 409 with the standing status);
 * 2. the declared decision runs (use-cases/change-account.ts): written with its audit entry and
 *    what it owes (outcome, receipt, event) in one conditional write, the first decision winning,
 *    and sent right after: the contractor hears the outcome, the sponsor gets a receipt (who
 *    decided what, from where).
 */
export async function decideSponsorshipRequest(input: DecideInput, deps: DecideDeps): Promise<{ status: Outcome }> {
  const first = await lookUp(input.token, deps);
  const { claims } = first;
  let link: LinkState | undefined = first.link;
  let email: string | undefined;
  const next = await changeAccount(
    DECISION_CHANGES[input.decision],
    (account) => ({
      actor: { role: 'sponsor', name: account.request?.sponsorEmail ?? 'unknown', via: 'emailed_link' },
      ...(input.reason ? { reason: input.reason } : {}),
    }),
    {
      // The token's request, classified afresh after a lost race (the first read is the look-up's).
      find: async () => {
        const current = link ?? classifyApproval(email ? await deps.store.get(email) : undefined, claims.jti, deps.clock.nowMs());
        link = undefined;
        if (current.state !== 'ready') return refuseLink('approval', current, REFUSAL, deps);
        email = current.account.email;
        return current.account;
      },
      refuse: (status) => refuseLink('approval', { state: 'done', status }, REFUSAL, deps),
      conflict: () => refuseLink('approval', { state: 'conflict' }, REFUSAL, deps),
      links: linkBase(undefined, deps.signInUrl),
      ip: input.clientIp,
    },
    deps,
  );
  return { status: outcomeOf(next.status) };
}
