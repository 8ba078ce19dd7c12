import { type Account, type AccountStatus, type ContractorSummary, type Decision, iso, type LinkState } from '../core/account';
import { mailboxOf, maskAddress } from '../core/address';
import { DECISION_CHANGES, sponsorActor } from '../core/changes';
import type { Email } from '../core/email';
import { AlreadyDecidedError, NotFoundError, NotTheSponsorError, SignInRequiredError } from '../core/errors';
import type { LifecyclePolicy } from '../core/lifecycle';
import { limitKey } from '../core/limit-key';
import type {
  AccountStore,
  ApprovalClaims,
  ApprovalTokens,
  Clock,
  Log,
  Metrics,
  Notifier,
  RateLimiter,
  SponsorDirectory,
} from '../core/ports';
import { mailboxesOf, type SponsorSession } from '../core/session';
import { classifyApproval, contractorSummary } from '../core/sponsorship';
import { emailLink, linkBase } from '../service/links';
import { changeAccount } from './change-account';
import type { DeliverDeps } from './deliver';
import { besideCounter } from './limit-client';
import { type RefusalTexts, refuseLink } from './refuse-link';
import { sendEmail } from './report-send';
import { requestEmailOf } from './sponsor-sessions';

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
  readonly sponsors: SponsorDirectory;
  readonly limiter: RateLimiter;
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
): Promise<{ state: 'ready'; request: ContractorSummary; sponsorMailbox: string } | { state: 'done'; outcome: Outcome }> {
  const { link } = await lookUp(token, deps);
  if (link.state === 'done') return { state: 'done', outcome: outcomeOf(link.status) };
  if (link.state !== 'ready') return refuseLink('approval', link, REFUSAL, deps);
  const request = link.account.request;
  // A contractor account always carries its request; one without is no request to show.
  if (!request) return refuseLink('approval', { state: 'invalid' }, REFUSAL, deps);
  return { state: 'ready', request: contractorSummary(link.account, request), sponsorMailbox: mailboxOf(request.sponsorEmail) };
}

export interface DecideInput {
  /** The review link's token, or (from the dashboard) the request's id among the session's sponsor's. */
  readonly token?: string;
  readonly requestId?: string;
  readonly decision: Decision;
  readonly reason?: string;
  readonly clientIp: string;
  /** Where the emails' dashboard links point (the service's origin for this request). */
  readonly baseUrl?: string;
  /** The sponsor session the request carried, if any: a decision needs one. */
  readonly session?: SponsorSession;
  /** The client's counter, under way since before the request was read: awaited beside the look-up, its 429 first. */
  readonly counted?: Promise<unknown>;
}

/** The request a dashboard form names: only among the requests that named this sponsor. */
async function requestOf(requestId: string, session: SponsorSession, deps: DecideDeps): Promise<LinkState> {
  const email = await requestEmailOf(session, requestId, deps.sponsors);
  const account = email ? await deps.store.get(email) : undefined;
  // The address may have asked again since (another request, perhaps another sponsor): only this request is decided.
  if (!account?.approvalJti || account.requestId !== requestId) return { state: 'invalid' };
  return classifyApproval(account, account.approvalJti, deps.clock.nowMs());
}

/**
 * Someone signed in as another address tried to decide: the sponsor hears of it (at most once an
 * hour per request, so the notice cannot be turned into a flood), and nothing changes.
 */
async function refuseOtherSponsor(account: Account, session: SponsorSession, input: DecideInput, deps: DecideDeps): Promise<never> {
  const sponsor = account.request?.sponsorEmail ?? '';
  const nowMs = deps.clock.nowMs();
  deps.log.warn('security: decision refused: signed in as another address', {
    requestId: account.requestId,
    signedIn: maskAddress(session.mailbox),
  });
  deps.metrics.count('DecisionsRefused');
  const once = await deps.limiter.hit(limitKey('attempt', account.requestId ?? account.email), 1, 3600, nowMs);
  if (sponsor && once.allowed) {
    const email: Email = {
      type: 'decision_attempt',
      signedInAs: session.mailbox,
      contractorEmail: account.email,
      clientIp: input.clientIp,
      at: iso(nowMs),
    };
    await sendEmail(maskAddress(sponsor), email.type, deps, () =>
      deps.notifier.send(sponsor, email, emailLink(email, linkBase(input.baseUrl))),
    );
  }
  throw new NotTheSponsorError(
    `You are signed in as ${session.mailbox}, but this request names another sponsor. Only they can decide it: nothing was changed, and they have been told.`,
  );
}

/**
 * The sponsor's Approve or Deny. Steps:
 * 1. a sponsor session is required (401 before anything is read: a link alone decides nothing);
 * 2. the request: by the review link's token (verified, the request's current `jti`) or by its id
 *    among the session's sponsor's requests; still undecided (else 409 with the standing status);
 * 3. the session's mailbox must be the request's sponsor (else 403, and the sponsor is told);
 * 4. the declared decision runs (use-cases/change-account.ts): written with its audit entry (the
 *    session's method as `via`) and what it owes (outcome, receipt, event) in one conditional
 *    write, the first decision winning, and sent right after.
 */
export async function decideSponsorshipRequest(
  input: DecideInput,
  deps: DecideDeps,
): Promise<{ status: Outcome; accessExpiresAt?: string }> {
  const session = input.session;
  if (!session) throw new SignInRequiredError('Sign in as the sponsor to decide: a link alone decides nothing.');
  const byLink = input.requestId === undefined;
  const first = await besideCounter(
    input.counted,
    byLink ? lookUp(input.token ?? '', deps).then(({ link }) => link) : requestOf(input.requestId!, session, deps),
  );
  // No link was used: a request the dashboard cannot show is simply not found (like one that does not exist).
  if (!byLink && first.state === 'invalid') {
    throw new NotFoundError('We found no request with that id among the requests that named you as sponsor.', 'requestId');
  }
  let link: LinkState | undefined = first;
  let email: string | undefined;
  const next = await changeAccount(
    DECISION_CHANGES[input.decision],
    (account) => ({
      actor: sponsorActor(session, mailboxOf(account.request?.sponsorEmail ?? session.mailbox)),
      ...(input.reason ? { reason: input.reason } : {}),
    }),
    {
      // The request, classified afresh after a lost race (the first read is the look-up's).
      find: async () => {
        const current =
          link ??
          classifyApproval(
            email ? await deps.store.get(email) : undefined,
            first.state === 'ready' ? (first.account.approvalJti ?? '') : '',
            deps.clock.nowMs(),
          );
        link = undefined;
        if (current.state !== 'ready') return refuseLink('approval', current, REFUSAL, deps);
        if (!mailboxesOf(session).includes(mailboxOf(current.account.request?.sponsorEmail ?? ''))) {
          return refuseOtherSponsor(current.account, session, input, deps);
        }
        email = current.account.email;
        return current.account;
      },
      refuse: (status) => refuseLink('approval', { state: 'done', status }, REFUSAL, deps),
      conflict: () => refuseLink('approval', { state: 'conflict' }, REFUSAL, deps),
      links: linkBase(input.baseUrl, deps.signInUrl),
      ip: input.clientIp,
    },
    deps,
  );
  // An approval's answer says when the access it gave ends.
  return {
    status: outcomeOf(next.status),
    ...(next.status === 'active' && next.accessExpiresAt ? { accessExpiresAt: next.accessExpiresAt } : {}),
  };
}
