import { type Account, LIVE_LINKS, PENDING_RETENTION_SECONDS, seconds } from '../core/account';
import { touched } from '../core/account-history';
import { mailboxOf, maskAddress } from '../core/address';
import { scheduled } from '../core/lifecycle';
import { hashLinkToken, newLinkToken } from '../core/link-token';
import {
  ANONYMOUS_INTENTS,
  claimed,
  type Delivery,
  type DeliveryPolicy,
  dueDeliveries,
  type EmailIntent,
  failedAttempt,
  withoutDelivery,
} from '../core/outbox';
import type { AccountStore, ApprovalTokens, Clock, Log, Metrics, Notice, Notifier, ReputationBreaker, WebhookSender } from '../core/ports';
import { type IssueDeps, issueManageLink } from './issue-manage-link';
import { type SendOutcome, sendEmail } from './report-send';

/**
 * The sender of the outbox (DESIGN §7). Right after a write, `sendNow` sends the emails it
 * enqueued (attempt 1) and clears what went, in one more write; what failed stays with its next
 * attempt time. The sweep calls `deliverDue`: it claims what is due in one conditional write
 * (with a fresh link where the email carries one: raw tokens are never stored), sends, and clears.
 */
export interface DeliverDeps {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly delivery: DeliveryPolicy;
}

/** A link an email carries, when the writer has it in hand (the raw token exists only in memory). */
export interface Link {
  readonly url: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

const at = (iso: string) => new Date(iso);

/** The email an intent stands for; `link` for the ones that carry one. */
export function noticeOf(intent: EmailIntent, link?: Link): Notice {
  const expiresAt = new Date((link?.expiresAt ?? 0) * 1000);
  switch (intent.type) {
    case 'verify_link':
      return { type: 'verify_link', link: link?.url ?? '', expiresAt, contractor: intent.contractor };
    case 'sponsor_request':
      return { type: 'sponsor_request', link: link?.url ?? '', expiresAt, contractor: intent.contractor };
    case 'renewal_reminder':
      return {
        type: 'renewal_reminder',
        contractors: [{ ...intent.contractor, accessExpiresAt: at(intent.contractor.accessExpiresAt) }],
        link: link?.url ?? '',
        linkExpiresAt: expiresAt,
      };
    case 'sponsorship_approved':
      return { ...intent, accessExpiresAt: at(intent.accessExpiresAt) };
    case 'access_renewed':
      return { ...intent, accessExpiresAt: at(intent.accessExpiresAt) };
    case 'decision_receipt':
      return { ...intent, at: at(intent.at) };
    case 'account_reinstated': {
      const { accessExpiresAt, ...rest } = intent;
      return { ...rest, ...(accessExpiresAt ? { accessExpiresAt: at(accessExpiresAt) } : {}) };
    }
    case 'account_revoked':
    case 'access_expired':
    case 'access_ended':
    case 'already_active':
    case 'sponsorship_denied':
      return intent as Notice;
  }
}

export type Result = { readonly id: string; readonly outcome: SendOutcome; readonly error?: string };

/**
 * Writes what the attempts came to: delivered ones cleared, permanent refusals and last attempts
 * marked failed; transient failures stay as claimed (their next attempt is already set).
 * Conditional on the version; a concurrent write is re-read and the same results applied to it.
 */
export async function recordResults(account: Account, results: readonly Result[], deps: DeliverDeps): Promise<Account> {
  let current: Account | undefined = account;
  for (let attempt = 0; attempt < 4 && current; attempt++) {
    let next = current;
    for (const result of results) {
      if (result.outcome === 'delivered') next = withoutDelivery(next, result.id);
      else next = failedAttempt(next, result.id, result.error ?? result.outcome, result.outcome === 'permanent', deps.delivery);
    }
    const failedNow = (next.outbox ?? []).filter((d) => d.failed && !current?.outbox?.find((c) => c.id === d.id)?.failed);
    next = touched(scheduled(next), { nowMs: deps.clock.nowMs() });
    if (await deps.store.put(next, current.version)) {
      for (const delivery of failedNow) {
        deps.log.error('delivery failed for good', { id: delivery.id, channel: delivery.channel, attempts: delivery.attempts });
        deps.metrics.count('DeliveriesFailed', { channel: delivery.channel });
      }
      return next;
    }
    current = await deps.store.get(account.email);
  }
  return current ?? account;
}

/**
 * Attempt 1 of the emails a write just enqueued, by the writer itself; `links` holds the links it
 * minted for them. Returns the account as stored afterwards.
 */
export async function sendNow(
  account: Account,
  ids: readonly string[],
  links: Readonly<Record<string, Link>>,
  notifier: Notifier,
  deps: DeliverDeps,
): Promise<Account> {
  // Each to its own recipient (a decision's outcome and the sponsor's receipt): sent at once, not in turn.
  const results: Result[] = await Promise.all(
    (account.outbox ?? []).flatMap((delivery) =>
      ids.includes(delivery.id) && delivery.channel === 'email'
        ? [
            sendEmail(maskAddress(delivery.to), delivery.email.type, deps, () =>
              notifier.send(delivery.to, noticeOf(delivery.email, links[delivery.id])),
            ).then((sent) => ({ id: delivery.id, ...sent })),
          ]
        : [],
    ),
  );
  // Nothing went and nothing failed for good: the intents already say when to try again.
  if (results.every((result) => result.outcome === 'transient')) return account;
  return recordResults(account, results, deps);
}

export interface DueDeps extends DeliverDeps, IssueDeps {
  readonly notifier: Notifier;
  readonly webhooks?: WebhookSender;
  readonly approvals: ApprovalTokens;
  readonly breaker: ReputationBreaker;
  readonly verifyTtlSeconds: number;
  readonly baseUrl: string;
}

/** Whether an email still makes sense: a link for a request that moved on, or a reminder of a past period, does not. */
function stillOwed(account: Account, intent: EmailIntent): boolean {
  if (intent.type === 'verify_link') return account.status === 'pending';
  if (intent.type === 'sponsor_request') return account.status === 'awaiting_sponsor';
  if (intent.type === 'renewal_reminder')
    return account.status === 'active' && account.accessExpiresAt === intent.contractor.accessExpiresAt;
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
  const due = dueDeliveries(account, nowMs).filter((delivery) =>
    delivery.channel === 'webhook' ? deps.webhooks !== undefined : !(held && ANONYMOUS_INTENTS.has(delivery.email.type)),
  );
  if (!due.length) return account;

  let next = account;
  const links: Record<string, Link> = {};
  const obsolete: Result[] = [];
  for (const delivery of due) {
    if (delivery.channel === 'email' && !stillOwed(account, delivery.email)) {
      obsolete.push({ id: delivery.id, outcome: 'delivered' });
      continue;
    }
    next = claimed(next, delivery.id, nowMs, deps.delivery);
    if (delivery.channel !== 'email') continue;
    const fresh = await freshLink(next, delivery, nowMs, deps);
    if (fresh) {
      next = fresh.account;
      links[delivery.id] = fresh.link;
    }
  }
  next = touched(scheduled(next), { nowMs });
  if (!(await deps.store.put(next, account.version))) return account;

  const results: Result[] = [...obsolete];
  for (const delivery of due) {
    if (obsolete.some((result) => result.id === delivery.id)) continue;
    const attempt = (next.outbox ?? []).find((candidate) => candidate.id === delivery.id) ?? delivery;
    results.push({ id: delivery.id, ...(await attemptOne(attempt, links[delivery.id], deps)) });
  }
  return recordResults(next, results, deps);
}

async function attemptOne(delivery: Delivery, link: Link | undefined, deps: DueDeps): Promise<{ outcome: SendOutcome; error?: string }> {
  if (delivery.channel === 'webhook') {
    const outcome = await deps.webhooks!.send(delivery.id, delivery.event);
    deps.metrics.count(outcome.outcome === 'delivered' ? 'WebhooksDelivered' : 'WebhooksFailed');
    if (outcome.outcome !== 'delivered') {
      deps.log.warn('webhook not delivered', {
        id: delivery.id,
        type: delivery.event.type,
        attempt: delivery.attempts,
        error: outcome.error,
      });
    }
    return outcome;
  }
  return sendEmail(maskAddress(delivery.to), delivery.email.type, deps, () =>
    deps.notifier.send(delivery.to, noticeOf(delivery.email, link)),
  );
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
): Promise<{ account: Account; link: Link } | undefined> {
  const intent = delivery.email;
  if (intent.type === 'verify_link' && account.linkId) {
    const token = newLinkToken(account.linkId);
    const expiresAt = seconds(nowMs) + deps.verifyTtlSeconds;
    const verifyLinks = [...(account.verifyLinks ?? []), { hash: hashLinkToken(token), expiresAt }].slice(-LIVE_LINKS);
    return {
      account: { ...account, verifyLinks, expireAt: expiresAt + PENDING_RETENTION_SECONDS },
      link: { url: `${deps.baseUrl}/verify?token=${token}`, expiresAt },
    };
  }
  if (intent.type === 'sponsor_request' && account.requestId) {
    const grant = await deps.approvals.issue(account.requestId, nowMs);
    return {
      account: {
        ...account,
        approvalJti: grant.jti,
        approvalExpiresAt: grant.expiresAt,
        expireAt: grant.expiresAt + PENDING_RETENTION_SECONDS,
      },
      link: { url: `${deps.baseUrl}/sponsorships/review?token=${grant.token}`, expiresAt: grant.expiresAt },
    };
  }
  if (intent.type === 'renewal_reminder') {
    const mailbox = mailboxOf(delivery.to);
    const issued = await issueManageLink(mailbox, await deps.sponsors.get(mailbox), deps);
    if (issued) return { account, link: { url: `${deps.baseUrl}/sponsors/manage?token=${issued.token}`, expiresAt: issued.expiresAt } };
  }
  return undefined;
}
