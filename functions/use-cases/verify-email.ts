import type { Account, AccountStatus, LinkState } from '../core/account';
import { touched } from '../core/account-history';
import { mailboxOf, maskAddress } from '../core/address';
import { CHANGES, CONFIRMATIONS, SELF } from '../core/changes';
import { AlreadyVerifiedError } from '../core/errors';
import { holdsRequest, reopened, withoutHeldRequest } from '../core/held-request';
import type { LifecyclePolicy } from '../core/lifecycle';
import { hashLinkToken, linkIdOf } from '../core/link-token';
import type { AccountStore, ApprovalTokens, Clock, Log, Metrics, Notifier, SponsorDirectory } from '../core/ports';
import { classifyVerification, type PendingSummary, pendingSummary } from '../core/verification';
import { linkBase } from '../service/links';
import { sendWritten, writeChange } from './change-account';
import type { DeliverDeps } from './deliver';
import { type Charge, enforceLimit, type LimitDeps } from './limit-client';
import { type RefusalTexts, refuseLink } from './refuse-link';
import { untilSettled } from './retry-write';

export interface VerifyDeps {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

export interface ConfirmDeps extends VerifyDeps, LimitDeps, DeliverDeps {
  /** Whether the sandbox hears of changes (a webhook is configured). */
  readonly events: boolean;
  readonly approvals: ApprovalTokens;
  readonly notifier: Notifier;
  /** Where a confirmed request is filed under its sponsor, for their management page. */
  readonly sponsors: SponsorDirectory;
  /** Review emails one sponsor's mailbox may receive per day. */
  readonly sponsorRequestsPerDay: number;
  readonly lifecycle: LifecyclePolicy;
}

const REFUSAL: RefusalTexts = {
  invalid: 'This link is not valid. It may have been replaced by a newer link. Ask for a new link.',
  expired: 'This link has expired. Ask for a new link.',
  done: () => new AlreadyVerifiedError('This email address is already confirmed. Nothing more to do.'),
};

/** A well-formed link that no account carries any more: its request was cancelled with it, or lapsed unconfirmed. */
const GONE: RefusalTexts = {
  ...REFUSAL,
  invalid:
    'This link no longer works: the request it was for was cancelled (“This is not my request”) or lapsed unconfirmed. Ask for a new link if you still need one.',
};

async function lookUp(token: string, deps: VerifyDeps): Promise<{ link: LinkState; hash: string; holder?: Account; texts: RefusalTexts }> {
  const linkId = linkIdOf(token);
  if (!linkId) return { link: { state: 'invalid' }, hash: '', texts: REFUSAL };
  const hash = hashLinkToken(token);
  let found = await deps.store.findByLinkId(linkId);
  let link = classifyVerification(found, hash, deps.clock.nowMs());
  // An index copy can be behind (or, after a crash, ahead of) its item: a final answer is confirmed on the item.
  if (found && link.state !== 'ready') {
    found = await deps.store.get(found.email);
    link = classifyVerification(found, hash, deps.clock.nowMs());
  }
  // Only an expired link was matched by its hash and found wanting: its holder may be named on its page.
  return { link, hash, texts: found ? REFUSAL : GONE, ...(link.state === 'expired' && found ? { holder: found } : {}) };
}

/**
 * What the link behind `GET /verify` stands for, and what confirming it would confirm. Reads
 * only: mail scanners open every link.
 */
export async function inspectVerification(
  token: string,
  deps: VerifyDeps,
): Promise<{ state: 'ready'; pending: PendingSummary } | { state: 'done'; status: AccountStatus }> {
  const { link, holder, texts } = await lookUp(token, deps);
  if (link.state === 'ready') return { state: 'ready', pending: pendingSummary(asked(link.account)) };
  if (link.state === 'done') return link;
  return refuseLink('verification', link, texts, deps, holder);
}

export interface ConfirmInput {
  readonly token: string;
  /** `cancel`: "This is not my request" — the pending request is removed instead of confirmed. */
  readonly action?: 'confirm' | 'cancel';
  readonly clientIp: string;
  /** Where the sponsor's review link points (contractors). */
  readonly baseUrl: string;
  /** The client's counter, under way since before the request was read: awaited beside the look-up, its 429 first. */
  readonly counted?: Promise<unknown>;
}

/**
 * The person's click on the confirmation page. Steps:
 * 1. find the account by the token's hash (index read, beside the client's counter) and classify the link;
 * 2. for a contractor, count the review email against the sponsor's daily limit (429 past it,
 *    nothing written), then mint the approval token, whose `jti` the write records;
 * 3. write pending → active / awaiting_sponsor (the declared confirmation) conditionally on the version read;
 * 4. if that write lost, re-read consistently and classify again: of N concurrent uses exactly
 *    one wins and the rest see the work done (409);
 * 5. a contractor's sponsor is emailed now, and only now that the requester proved their address;
 *    the request is filed under the sponsor (for their management page) just before the write.
 * With `action: cancel` ("This is not my request"), step 3 removes the pending request instead
 * (conditionally, on the same version), so a new request can be made at once.
 */
export async function confirmVerification(
  input: ConfirmInput,
  deps: ConfirmDeps,
): Promise<{ status: AccountStatus | 'cancelled'; email: string }> {
  // Looked up beside the client's counter: both settle, and the counter's refusal is the answer before the look-up's (as besideCounter).
  const looked = lookUp(input.token, deps);
  await Promise.allSettled([input.counted, looked]);
  await input.counted;
  let { link, hash, holder, texts } = await looked;
  const reread = async (email: string) => {
    const account = await deps.store.get(email);
    link = classifyVerification(account, hash, deps.clock.nowMs());
    if (link.state === 'expired') holder = account;
    if (!account) texts = GONE;
    return undefined;
  };
  // Only a first confirmation asks the sponsor (and counts against their day); a resumed account was decided before.
  const transfer = link.state === 'ready' && link.account.status === 'active' ? link.account.transfer : undefined;
  const asking = link.state === 'ready' ? asked(link.account) : undefined;
  const asksSponsor = asking?.kind === 'contractor' && (asking.status === 'pending' || transfer);
  const sponsorEmail = asksSponsor ? (transfer ?? asking.request)?.sponsorEmail : undefined;
  const charge = sponsorEmail && input.action !== 'cancel' ? await limitSponsor(sponsorEmail, deps) : undefined;
  const settled = await untilSettled(async () => {
    if (link.state !== 'ready') return 'refused' as const;
    const account = link.account;
    if (account.status === 'suspended') {
      // Not their request: the links are withdrawn and the account stays as it is. Theirs: resumed.
      const change = input.action === 'cancel' ? undefined : CHANGES.resumeVerified;
      if (!change) {
        if (!(await withdrawLinks(account, deps))) return reread(account.email);
        return { status: 'cancelled' as const, email: account.email };
      }
      const written = await writeChange(
        change,
        account,
        { actor: SELF },
        { nowMs: deps.clock.nowMs(), ip: input.clientIp },
        deps,
        'at once',
      );
      if (!written) return reread(account.email);
      await sendWritten(written, { base: linkBase(input.baseUrl) }, deps.notifier, deps);
      return { status: written.next.status, email: written.next.email };
    }
    if (account.status === 'active' && account.transfer) return confirmTransfer(account, input, deps, reread);
    if (input.action === 'cancel' && account.activatedAt !== undefined) {
      // A record that once granted access is never deleted: only the request is withdrawn.
      if (!(await withdrawLinks(account, deps))) return reread(account.email);
      deps.metrics.count('RequestsCancelled');
      return { status: 'cancelled' as const, email: account.email };
    }
    if (input.action === 'cancel') {
      if (!(await deps.store.remove(account.email, account.version))) return reread(account.email);
      deps.log.info('pending request cancelled by its owner', { recipient: maskAddress(account.email) });
      deps.metrics.count('RequestsCancelled');
      return { status: 'cancelled' as const, email: account.email };
    }
    const nowMs = deps.clock.nowMs();
    const subject = asked(account);
    const grant = subject.kind === 'contractor' && subject.requestId ? await deps.approvals.issue(subject.requestId, nowMs) : undefined;
    // Filed first, so no confirmed request is missing from its sponsor's list; a row whose
    // account never moved is ignored there.
    if (sponsorEmail && subject.requestId) await deps.sponsors.addRequest(mailboxOf(sponsorEmail), subject.requestId, subject.email);
    const request = { actor: SELF, ...(grant ? { grant } : {}) };
    const written = await writeChange(CONFIRMATIONS[subject.kind], subject, request, { nowMs, ip: input.clientIp }, deps, 'at once');
    if (!written) return reread(account.email);
    // A contractor's confirmation owes their sponsor's review email (its link just minted); an agency's, its event.
    const [review] = written.emailIds;
    // A review email without the link it needs is left for the sweep, which mints one.
    if (!review || grant) {
      const minted = grant && review ? { [review]: { token: grant.token, expiresAt: grant.expiresAt } } : {};
      await sendWritten(written, { base: linkBase(input.baseUrl), minted }, deps.notifier, deps);
    }
    return { status: written.next.status, email: written.next.email };
  });
  if (settled && settled !== 'refused') return settled;
  // No review email went: the sponsor's count is given back.
  await charge?.refund();
  const final: LinkState = link;
  return refuseLink('verification', final.state === 'ready' ? { state: 'conflict' } : final, texts, deps, holder);
}

/**
 * "This is not my request" on a link for an account that stays (suspended, active with a request
 * for another sponsor, or ended with a new request held): its links, and any such request,
 * withdrawn; nothing else changes.
 */
function withdrawLinks(account: Account, deps: ConfirmDeps): Promise<boolean> {
  return deps.store.put(touched(withoutHeldRequest(account), { nowMs: deps.clock.nowMs() }), account.version);
}

/** What a confirmation takes up: an ended account's held request, else the account's own. */
const asked = (account: Account): Account => (holdsRequest(account) ? reopened(account) : account);

/**
 * An active contractor's request for another sponsor (theirs is gone), confirmed: filed under the
 * new sponsor, an approval token minted for them, and their review email sent. "Not my request"
 * withdraws it; the access stands either way.
 */
async function confirmTransfer(
  account: Account,
  input: ConfirmInput,
  deps: ConfirmDeps,
  reread: (email: string) => Promise<undefined>,
): Promise<{ status: AccountStatus | 'cancelled'; email: string } | undefined> {
  const transfer = account.transfer!;
  const nowMs = deps.clock.nowMs();
  if (input.action === 'cancel') {
    if (!(await withdrawLinks(account, deps))) return reread(account.email);
    return { status: 'cancelled', email: account.email };
  }
  const grant = await deps.approvals.issue(transfer.id, nowMs);
  await deps.sponsors.addRequest(mailboxOf(transfer.sponsorEmail), transfer.id, account.email);
  const request = { actor: SELF, grant };
  const written = await writeChange(CHANGES.confirmTransfer, account, request, { nowMs, ip: input.clientIp }, deps, 'at once');
  if (!written) return reread(account.email);
  const [review] = written.emailIds;
  const minted = review ? { [review]: { token: grant.token, expiresAt: grant.expiresAt } } : {};
  await sendWritten(written, { base: linkBase(input.baseUrl), minted }, deps.notifier, deps);
  return { status: written.next.status, email: written.next.email };
}

/**
 * The sponsor's daily limit counts review emails actually sent, charged here as one is about to
 * go: past it, 429 and the account stays pending (its link keeps working until it expires).
 */
function limitSponsor(sponsorEmail: string, deps: ConfirmDeps): Promise<Charge> {
  return enforceLimit(
    {
      kind: 'sponsor',
      of: mailboxOf(sponsorEmail),
      max: deps.sponsorRequestsPerDay,
      windowSeconds: 86_400,
      message: () =>
        'Your sponsor has been sent the most review requests we send in one day. Your request is kept: open this link again tomorrow, or ask another agency partner.',
    },
    deps,
  );
}
