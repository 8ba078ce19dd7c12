import { type Account, LIVE_LINKS, PENDING_RETENTION_SECONDS, seconds, type VerifyLink } from '../core/account';
import { touched } from '../core/account-history';
import { maskAddress } from '../core/address';
import { ANONYMOUS_EMAILS, type Email, storedEmail } from '../core/email';
import { scheduled } from '../core/lifecycle';
import { hashLinkToken, newLinkToken } from '../core/link-token';
import {
  backoffSeconds,
  claimed,
  type Delivery,
  type DeliveryPolicy,
  delivered,
  dueDeliveries,
  failedAttempt,
  postponed,
  released,
  superseded,
} from '../core/outbox';
import type { AccountStore, ApprovalTokens, Clock, Log, Metrics, Notifier, ReputationBreaker, WebhookSender } from '../core/ports';
import { emailLink, type LinkBase, linkBase, type Minted } from '../service/links';
import { type BudgetDeps, chargeHeld, nextWindow, refundHeld } from './budget-charges';
import { attemptEvent, sendEventAtOnce } from './event-at-once';
import { type SendOutcome, sendEmail } from './report-send';
import { untilSettled } from './retry-write';

/**
 * The sender of the outbox (docs/design.md §7). Right after a write, `sendNow` sends the emails and
 * the event it enqueued (attempt 1) and clears what went, in one more write; what failed stays with its next
 * attempt time. The sweep calls `deliverDue`: it claims what is due in one conditional write
 * (with a fresh link where the email carries one: raw tokens are never stored), sends, and clears.
 */
export interface DeliverDeps {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly delivery: DeliveryPolicy;
  /** The sandbox's receiver, where one is configured and this function holds its secret. */
  readonly webhooks?: WebhookSender;
}

/** What the links of the emails being sent resolve against: the origin, and the tokens the writer minted (by delivery id). */
export interface SendLinks {
  readonly base: LinkBase;
  /** A raw token exists only in memory: the writer that minted it hands it here. */
  readonly minted?: Readonly<Record<string, Minted>>;
}

/** Sends one email of the outbox with its link resolved (the one path for first sends and retries). */
function sendDelivery(notifier: Notifier, delivery: Extract<Delivery, { channel: 'email' }>, base: LinkBase, minted?: Minted) {
  const email = storedEmail(delivery.email);
  return notifier.send(delivery.to, email, emailLink(email, base, minted));
}

export type Result = { readonly id: string; readonly outcome: SendOutcome; readonly error?: string };

/**
 * Writes what the attempts came to: delivered ones cleared, permanent refusals and last attempts
 * marked failed; transient failures stay as claimed (their next attempt is already set).
 * Conditional on the version; a concurrent write is re-read and the same results applied to it.
 */
export async function recordResults(account: Account, results: readonly Result[], deps: DeliverDeps): Promise<Account> {
  let current: Account | undefined = account;
  const written = await untilSettled(async () => {
    if (!current) return account;
    const before: Account = current;
    let next = before;
    for (const result of results) {
      if (result.outcome === 'delivered') next = delivered(next, result.id);
      else next = failedAttempt(next, result.id, result.error ?? result.outcome, result.outcome === 'permanent', deps.delivery);
    }
    const failedNow = (next.outbox ?? []).filter((d) => d.failed && !before.outbox?.find((c) => c.id === d.id)?.failed);
    next = touched(scheduled(next), { nowMs: deps.clock.nowMs() });
    if (await deps.store.put(next, before.version)) {
      for (const delivery of failedNow) {
        deps.log.error('delivery failed for good', { id: delivery.id, channel: delivery.channel, attempts: delivery.attempts });
        deps.metrics.count('DeliveriesFailed', { channel: delivery.channel });
      }
      return next;
    }
    current = await deps.store.get(account.email);
    return undefined;
  });
  return written ?? current ?? account;
}

/**
 * Attempt 1 of the emails and the event a write just enqueued, by the writer itself, all at once;
 * `links` holds the links it minted for them. Returns the account as stored afterwards.
 */
export async function sendNow(
  account: Account,
  ids: readonly string[],
  links: SendLinks,
  notifier: Notifier,
  deps: DeliverDeps,
): Promise<Account> {
  // Each to its own recipient (a decision's outcome, the sponsor's receipt, the sandbox): sent at once, not in turn.
  const results: Result[] = await Promise.all(
    (account.outbox ?? []).flatMap((delivery) => {
      if (!ids.includes(delivery.id)) return [];
      const sent =
        delivery.channel === 'webhook'
          ? sendEventAtOnce(delivery, deps)
          : sendEmail(maskAddress(delivery.to), delivery.email.type, deps, () =>
              sendDelivery(notifier, delivery, links.base, links.minted?.[delivery.id]),
            );
      return [sent.then((outcome) => ({ id: delivery.id, ...outcome }))];
    }),
  );
  // Nothing went and nothing failed for good: the intents already say when to try again.
  if (results.every((result) => result.outcome === 'transient')) return account;
  return recordResults(account, results, deps);
}

export interface DueDeps extends DeliverDeps, BudgetDeps {
  readonly notifier: Notifier;
  readonly approvals: ApprovalTokens;
  readonly breaker: ReputationBreaker;
  readonly verifyTtlSeconds: number;
  readonly baseUrl: string;
  /** The sandbox's own address (SANDBOX_URL), which some emails link to. */
  readonly signInUrl?: string;
}

/** Whether an email still makes sense: a link for a request that moved on, or a reminder of a past period, does not. */
function stillOwed(account: Account, email: Email): boolean {
  if (email.type === 'verify_link') return account.status === 'pending';
  if (email.type === 'sponsor_request') return account.status === 'awaiting_sponsor';
  if (email.type === 'dormancy_warning') return account.status === 'active' && account.dormantAt !== undefined;
  if (email.type === 'renewal_reminder')
    return account.status === 'active' && account.accessExpiresAt === email.contractors[0]?.accessExpiresAt;
  return true;
}

/**
 * The sweep's part: every due delivery of the account (emails; its oldest pending webhook event),
 * claimed in one conditional write with the fresh links they need, then attempted, then settled.
 * A claim that loses a race does nothing: whoever won owns the attempt. `held` (the reputation
 * breaker) leaves anonymous-triggered emails for later.
 */
export async function deliverDue(account: Account, held: boolean, deps: DueDeps): Promise<Account> {
  const nowMs = deps.clock.nowMs();
  const dueNow = dueDeliveries(account, nowMs);
  const open = dueNow.filter((delivery) => blockedFor(delivery, held, deps) === undefined);
  // What may not be attempted now waits past its blockage, so the due index's head moves on to the rest.
  let next = dueNow.reduce(
    (waiting, delivery) => postponedPast(waiting, delivery, blockedFor(delivery, held, deps), nowMs, deps.delivery),
    account,
  );
  if (!open.length) {
    if (next === account) return account;
    const waiting = touched(scheduled(next), { nowMs });
    return (await deps.store.put(waiting, account.version)) ? waiting : account;
  }

  // An email a spent budget held goes only once its budgets have room; else it waits for their next window.
  const due: Delivery[] = [];
  const charged: Extract<Delivery, { channel: 'email' }>[] = [];
  for (const delivery of open) {
    if (delivery.channel !== 'email' || !delivery.charges) due.push(delivery);
    else if (await chargeHeld(delivery.charges, deps)) {
      charged.push(delivery);
      due.push(delivery);
      next = released(next, delivery.id);
    } else next = postponed(next, delivery.id, nextWindow(nowMs));
  }
  if (!due.length) {
    const waiting = touched(scheduled(next), { nowMs });
    return (await deps.store.put(waiting, account.version)) ? waiting : account;
  }

  const minted: Record<string, Minted> = {};
  const obsolete: Result[] = [];
  for (const delivery of due) {
    if (delivery.channel === 'email' && !stillOwed(account, storedEmail(delivery.email))) {
      obsolete.push({ id: delivery.id, outcome: 'delivered' });
      continue;
    }
    if (superseded(account, delivery)) {
      deps.log.warn('event not sent: the sandbox already has a newer one', { id: delivery.id, account: maskAddress(account.email) });
      obsolete.push({ id: delivery.id, outcome: 'delivered' });
      continue;
    }
    next = claimed(next, delivery.id, nowMs, deps.delivery);
    if (delivery.channel !== 'email') continue;
    const fresh = await freshLink(next, delivery, nowMs, deps);
    if (fresh) {
      next = fresh.account;
      minted[delivery.id] = fresh.minted;
    }
  }
  next = touched(scheduled(next), { nowMs });
  if (!(await deps.store.put(next, account.version))) {
    // Whoever won owns the attempt: what this one charged is given back.
    for (const delivery of charged) await refundHeld(delivery.charges!, deps);
    return account;
  }

  const results: Result[] = [...obsolete];
  for (const delivery of due) {
    if (obsolete.some((result) => result.id === delivery.id)) continue;
    const attempt = (next.outbox ?? []).find((candidate) => candidate.id === delivery.id) ?? delivery;
    results.push({ id: delivery.id, ...(await attemptOne(attempt, minted[delivery.id], deps)) });
  }
  return recordResults(next, results, deps);
}

/** Why a due delivery may not be attempted now: the breaker holds anonymous-triggered mail; no receiver is configured for events. */
function blockedFor(delivery: Delivery, held: boolean, deps: DueDeps): 'held' | 'no receiver' | undefined {
  if (delivery.channel === 'webhook') return deps.webhooks === undefined ? 'no receiver' : undefined;
  return held && ANONYMOUS_EMAILS.has(delivery.email.type) ? 'held' : undefined;
}

/**
 * How long a blocked delivery waits before it is looked at again: a held email, the first retry's
 * delay (the breaker may close at any time); an event with no receiver, an hour (configuring one
 * takes a deploy). No attempt is counted.
 */
export const NO_RECEIVER_WAIT_SECONDS = 3600;

function postponedPast(
  account: Account,
  delivery: Delivery,
  blocked: 'held' | 'no receiver' | undefined,
  nowMs: number,
  policy: DeliveryPolicy,
) {
  if (!blocked) return account;
  const wait = blocked === 'held' ? backoffSeconds(1, policy) : NO_RECEIVER_WAIT_SECONDS;
  return postponed(account, delivery.id, seconds(nowMs) + wait);
}

async function attemptOne(
  delivery: Delivery,
  minted: Minted | undefined,
  deps: DueDeps,
): Promise<{ outcome: SendOutcome; error?: string }> {
  if (delivery.channel === 'webhook') return attemptEvent(delivery, deps.webhooks!, deps);
  return sendEmail(maskAddress(delivery.to), delivery.email.type, deps, () =>
    sendDelivery(deps.notifier, delivery, linkBase(deps.baseUrl, deps.signInUrl), minted),
  );
}

/** A dormancy warning's "keep my account" link: its token minted now (only its hash is written), valid until the account's end. */
export function newKeepLink(account: Account): { link: VerifyLink; minted: Minted } | undefined {
  if (!account.linkId || account.dormantAt === undefined) return undefined;
  const token = newLinkToken(account.linkId);
  return { link: { hash: hashLinkToken(token), expiresAt: account.dormantAt }, minted: { token, expiresAt: account.dormantAt } };
}

/**
 * A retried email that carries a link gets a new one: its hash (or its approval token's `jti`)
 * is part of the claim's conditional write, so the link works exactly when the claim landed.
 */
async function freshLink(
  account: Account,
  delivery: Extract<Delivery, { channel: 'email' }>,
  nowMs: number,
  deps: DueDeps,
): Promise<{ account: Account; minted: Minted } | undefined> {
  const email = delivery.email;
  if (email.type === 'verify_link' && account.linkId) {
    const token = newLinkToken(account.linkId);
    const expiresAt = seconds(nowMs) + deps.verifyTtlSeconds;
    const verifyLinks = [...(account.verifyLinks ?? []), { hash: hashLinkToken(token), expiresAt }].slice(-LIVE_LINKS);
    return {
      account: { ...account, verifyLinks, expireAt: expiresAt + PENDING_RETENTION_SECONDS },
      minted: { token, expiresAt },
    };
  }
  const keep = email.type === 'dormancy_warning' ? newKeepLink(account) : undefined;
  if (keep)
    return { account: { ...account, keepLinks: [...(account.keepLinks ?? []), keep.link].slice(-LIVE_LINKS) }, minted: keep.minted };
  if (email.type === 'sponsor_request' && account.requestId) {
    const grant = await deps.approvals.issue(account.requestId, nowMs);
    return {
      account: {
        ...account,
        approvalJti: grant.jti,
        approvalExpiresAt: grant.expiresAt,
        expireAt: grant.expiresAt + PENDING_RETENTION_SECONDS,
      },
      minted: { token: grant.token, expiresAt: grant.expiresAt },
    };
  }
  return undefined;
}
