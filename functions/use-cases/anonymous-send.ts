import { mailboxOf } from '../core/address';
import { clientGroup } from '../core/client-address';
import { limitKey } from '../core/limit-key';
import type { EmailLimits } from '../core/mailbox-allowance';
import type { BudgetCharge } from '../core/outbox';
import type { Clock, Log, MailboxAllowances, Metrics, RateLimiter } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';

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
 * The sweep's part for a held email, when its time has come: its budgets charged again at once.
 * True when all had room; else what was taken is given back and it waits for the next window.
 */
export async function chargeHeld(charges: readonly BudgetCharge[], deps: BudgetDeps): Promise<boolean> {
  const nowMs = deps.clock.nowMs();
  const budgets = charges.map((charge) => ({ ...charge, limit: limitOf(charge.name, deps.budgets) }));
  const hits = await Promise.all(budgets.map((budget) => deps.limiter.hit(budget.key, budget.limit, BUDGET_WINDOW_SECONDS, nowMs)));
  if (hits.every((hit) => hit.allowed)) return true;
  await refundAllowed(budgets, hits, nowMs, deps);
  return false;
}

/** A held email's charges given back: the write that was to send it lost its race. */
export async function refundHeld(charges: readonly BudgetCharge[], deps: BudgetDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  await Promise.all(charges.map((charge) => deps.limiter.refund(charge.key, BUDGET_WINDOW_SECONDS, nowMs)));
}

/** The start of the budgets' next window (epoch seconds): when a held email may try again. */
export function nextWindow(nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  return now - (now % BUDGET_WINDOW_SECONDS) + BUDGET_WINDOW_SECONDS;
}

export interface Budgets {
  readonly anonymousEmailsPerHour: number;
  readonly newAddressEmailsPerDomainPerHour: number;
  readonly newAddressSharePerClient: number;
}

/** What charging a budget needs: the counters, their limits and the time. */
export interface BudgetDeps {
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly budgets: Budgets;
}

const BUDGET_WINDOW_SECONDS = 3600;

type Budget = BudgetCharge & { readonly limit: number };

function limitOf(name: BudgetCharge['name'], budgets: Budgets): number {
  if (name === 'service') return budgets.anonymousEmailsPerHour;
  return name === 'domain' ? budgets.newAddressEmailsPerDomainPerHour : budgets.newAddressSharePerClient;
}

async function refundAllowed(budgets: readonly Budget[], hits: readonly { allowed: boolean }[], nowMs: number, deps: BudgetDeps) {
  await Promise.all(
    budgets.filter((_, i) => hits[i]!.allowed).map((budget) => deps.limiter.refund(budget.key, BUDGET_WINDOW_SECONDS, nowMs)),
  );
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
