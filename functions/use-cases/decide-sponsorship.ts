import type { Account, AccountStatus, ContractorSummary, Decision, LinkState } from '../core/account';
import { maskAddress } from '../core/address';
import { AlreadyDecidedError } from '../core/errors';
import { type LifecyclePolicy, scheduled } from '../core/lifecycle';
import { accessEvent, type Delivery, emailNow, eventLater, newDeliveryId, withDeliveries } from '../core/outbox';
import type { AccountStore, ApprovalClaims, ApprovalTokens, Clock, Log, Metrics, Notifier } from '../core/ports';
import { classifyApproval, contractorSummary, decideSponsorship } from '../core/sponsorship';
import { linkBase } from '../service/links';
import { type DeliverDeps, sendNow } from './deliver';
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
 *    current one (`jti`) and the request still undecided;
 * 2. write the decision and its audit entry conditionally on the version read: the first
 *    decision wins, every later or concurrent one gets 409 with the standing status;
 * 3. the same write holds what the decision owes (outcome, receipt, event), sent right after:
 *    the contractor hears the outcome, the sponsor gets a receipt (who decided what, from where).
 */
export async function decideSponsorshipRequest(input: DecideInput, deps: DecideDeps): Promise<{ status: Outcome }> {
  const first = await lookUp(input.token, deps);
  const { claims } = first;
  let { link } = first;
  for (let attempt = 0; attempt < 2 && link.state === 'ready'; attempt++) {
    const nowMs = deps.clock.nowMs();
    const decided = decideSponsorship(link.account, input.decision, input.reason, { nowMs, ip: input.clientIp }, deps.lifecycle);
    const owed = owedBy(decided, input.clientIp, nowMs, deps);
    const next = scheduled(withDeliveries(decided, owed));
    if (await deps.store.put(next, link.account.version)) {
      deps.log.info('sponsorship decided', { requester: maskAddress(next.email), status: next.status });
      deps.metrics.count(next.status === 'active' ? 'Approvals' : 'Denials');
      const emails = owed.filter((delivery) => delivery.channel === 'email').map((delivery) => delivery.id);
      await sendNow(next, emails, { base: linkBase(undefined, deps.signInUrl) }, deps.notifier, deps);
      return { status: outcomeOf(next.status) };
    }
    link = classifyApproval(await deps.store.get(link.account.email), claims.jti, deps.clock.nowMs());
  }
  return refuseLink('approval', link.state === 'ready' ? { state: 'conflict' } : link, REFUSAL, deps);
}

/**
 * What a decision owes: the outcome to the contractor, a receipt to the sponsor (so a decision
 * made by whoever else holds the link is heard of), and on approval the sandbox's event.
 */
function owedBy(account: Account, clientIp: string, nowMs: number, deps: DecideDeps): Delivery[] {
  const name = account.name ? { name: account.name } : {};
  const approved = account.status === 'active';
  const sponsor = account.request?.sponsorEmail;
  return [
    emailNow(
      newDeliveryId(),
      account.email,
      approved
        ? {
            type: 'sponsorship_approved',
            accessExpiresAt: account.accessExpiresAt ?? new Date(nowMs).toISOString(),
            ...name,
          }
        : { type: 'sponsorship_denied', ...(account.decisionReason ? { reason: account.decisionReason } : {}), ...name },
      nowMs,
      deps.delivery,
    ),
    ...(sponsor
      ? [
          emailNow(
            newDeliveryId(),
            sponsor,
            {
              type: 'decision_receipt',
              outcome: outcomeOf(account.status),
              contractorEmail: account.email,
              clientIp,
              at: new Date(nowMs).toISOString(),
            },
            nowMs,
            deps.delivery,
          ),
        ]
      : []),
    ...(approved && deps.events
      ? [eventLater(newDeliveryId(), accessEvent('access.granted', account, `sponsor:${account.sponsoredBy ?? sponsor}`, nowMs), nowMs)]
      : []),
  ];
}
