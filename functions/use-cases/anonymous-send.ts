import { mailboxOf } from '../core/address';
import { clientGroup } from '../core/client-address';
import { limitKey } from '../core/limit-key';
import type { EmailLimits } from '../core/mailbox-allowance';
import type { BudgetCharge } from '../core/outbox';
import type { Clock, Log, MailboxAllowances, Metrics, RateLimiter } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { BUDGET_WINDOW_SECONDS, type Budget, type Budgets, limitOf, nextWindow, refundAllowed } from './budget-charges';

/**
 * The gates every email that an anonymous request triggers passes (a verification link, a
 * notice, a sponsor's management link): the reputation breaker, the suppression list, the
 * service-wide budgets and the mailbox's own allowance. Past any, nothing is sent and the
 * caller answers as if it had been.
 */
export interface AnonymousSendDeps {
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly allowances: MailboxAllowances;
  readonly limiter: RateLimiter;
  /** Service-wide budgets of anonymous-triggered emails per hour (reputation). */
  readonly budgets: Budgets;
  readonly emailLimits: EmailLimits;
}

/** True when the breaker holds anonymous mail or the mailbox is suppressed (both read by the caller, with its record). */
export function heldBack(facts: { held: boolean; suppressed: boolean }, who: string, deps: AnonymousSendDeps): boolean {
  if (facts.held) {
    deps.log.warn('request sends nothing: the reputation breaker is open', { recipient: who });
    deps.metrics.count('EmailsHeldByBreaker');
    return true;
  }
  if (facts.suppressed) {
    deps.log.info('request sends nothing', { recipient: who, reason: 'suppressed' });
    deps.metrics.count('EmailsSuppressed');
    return true;
  }
  return false;
}

/** What a charge came to: the email goes now; it waits for a spent budget's next window; or the mailbox's allowance refused it. */
export type AnonymousCharge =
  | { readonly outcome: 'send' }
  | { readonly outcome: 'held'; readonly untilSeconds: number; readonly charges: readonly BudgetCharge[] }
  | { readonly outcome: 'refused' };

/**
 * Charges one email of the mailbox's allowance (cooldown, day cap; `+tag` spellings share it) and
 * the budgets (all anonymous emails per hour; and, for an address never emailed before, per
 * registrable domain per hour and the requesting client network's share of it), all at once —
 * one round trip on the hot path. The mailbox's allowance refusing: nothing is sent (a flood at
 * one mailbox spends no budget). A budget spent: an email that `canWait` is held, not dropped,
 * until the budget's next window (the sweep charges it then), and the allowance stays taken for
 * it; one that cannot wait is not sent. What a refused or held email took of the budgets is given
 * back, and the refusal logged and counted.
 */
export async function chargeAnonymousEmail(
  email: string,
  sent: { readonly neverEmailed: boolean; readonly clientIp: string; readonly canWait: boolean },
  who: string,
  deps: AnonymousSendDeps,
): Promise<AnonymousCharge> {
  const { neverEmailed, clientIp } = sent;
  const nowMs = deps.clock.nowMs();
  const mailbox = mailboxOf(email);
  const budgets = budgetsFor(email, neverEmailed, clientIp, deps);
  const [taken, ...hits] = await Promise.all([
    deps.allowances.take(mailbox, nowMs, deps.emailLimits),
    ...budgets.map((budget) => deps.limiter.hit(budget.key, budget.limit, BUDGET_WINDOW_SECONDS, nowMs)),
  ]);
  const spent = budgets.find((_, i) => !hits[i]!.allowed);
  if (taken && !spent) return { outcome: 'send' };
  await refundAllowed(budgets, hits, nowMs, deps);
  if (!taken) {
    deps.log.info('request sends nothing', { recipient: who, reason: 'email_limit' });
    deps.metrics.count('RateLimitHits', { limit: 'recipient' });
    return { outcome: 'refused' };
  }
  deps.metrics.count('EmailBudgetExhausted', { budget: spent!.name });
  if (!sent.canWait) {
    // What would be stale by the next window (a sign-in code) is not held: nothing is sent.
    await deps.allowances.giveBack(mailbox, nowMs, deps.emailLimits);
    deps.log.warn('request sends nothing: email budget spent', { recipient: who, budget: spent!.name });
    return { outcome: 'refused' };
  }
  deps.log.warn('email held: budget spent', { recipient: who, budget: spent!.name });
  return { outcome: 'held', untilSeconds: nextWindow(nowMs), charges: budgets.map(({ name, key }) => ({ name, key })) };
}

/**
 * The budgets that protect the sending reputation every user depends on: a flood of sign-ups
 * for random addresses bounces, and enough bounces pause all of the service's mail. A client
 * network's share of a domain's budget keeps one host from spending all of it.
 */
function budgetsFor(email: string, neverEmailed: boolean, clientIp: string, deps: AnonymousSendDeps): Budget[] {
  const named = (name: BudgetCharge['name'], key: string): Budget => ({ name, key, limit: limitOf(name, deps.budgets) });
  const service = named('service', limitKey('budget', 'anonymous-emails'));
  if (!neverEmailed) return [service];
  const domain = registrableDomainOf(email);
  return [
    service,
    named('domain', limitKey('new-address', domain)),
    named('client', limitKey('new-address-client', `${domain} ${clientGroup(clientIp)}`)),
  ];
}
