import { mailboxOf } from '../core/address';
import { limitKey } from '../core/limit-key';
import type { EmailLimits } from '../core/mailbox-allowance';
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
  readonly budgets: { readonly anonymousEmailsPerHour: number; readonly newAddressEmailsPerDomainPerHour: number };
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

/**
 * Charges one email of the mailbox's allowance (cooldown, day cap; `+tag` spellings share it) and
 * the budgets (all anonymous emails per hour; and, for an address never emailed before, per
 * registrable domain per hour), all at once — one round trip on the hot path. When any refuses,
 * what the others took is given back, so a refusal costs nobody an allowance: a flood at one
 * mailbox does not spend the service's budget. False, logged and counted, when any is spent.
 */
export async function chargeAnonymousEmail(email: string, neverEmailed: boolean, who: string, deps: AnonymousSendDeps): Promise<boolean> {
  const nowMs = deps.clock.nowMs();
  const mailbox = mailboxOf(email);
  const budgets = budgetsFor(email, neverEmailed, deps);
  const [taken, ...hits] = await Promise.all([
    deps.allowances.take(mailbox, nowMs, deps.emailLimits),
    ...budgets.map((budget) => deps.limiter.hit(budget.key, budget.limit, BUDGET_WINDOW_SECONDS, nowMs)),
  ]);
  const spent = budgets.find((_, i) => !hits[i]!.allowed);
  if (taken && !spent) return true;
  await Promise.all([
    ...(taken ? [deps.allowances.giveBack(mailbox, nowMs, deps.emailLimits)] : []),
    ...budgets.filter((_, i) => hits[i]!.allowed).map((budget) => deps.limiter.refund(budget.key, BUDGET_WINDOW_SECONDS, nowMs)),
  ]);
  if (spent) {
    deps.log.warn('request sends nothing: email budget spent', { recipient: who, budget: spent.name });
    deps.metrics.count('EmailBudgetExhausted', { budget: spent.name });
  } else {
    deps.log.info('request sends nothing', { recipient: who, reason: 'email_limit' });
    deps.metrics.count('RateLimitHits', { limit: 'recipient' });
  }
  return false;
}

const BUDGET_WINDOW_SECONDS = 3600;

/**
 * The budgets that protect the sending reputation every user depends on: a flood of sign-ups
 * for random addresses bounces, and enough bounces pause all of the service's mail.
 */
function budgetsFor(
  email: string,
  neverEmailed: boolean,
  deps: AnonymousSendDeps,
): { name: 'service' | 'domain'; key: string; limit: number }[] {
  const service = { name: 'service' as const, key: limitKey('budget', 'anonymous-emails'), limit: deps.budgets.anonymousEmailsPerHour };
  if (!neverEmailed) return [service];
  const domain = registrableDomainOf(email);
  return [service, { name: 'domain', key: limitKey('new-address', domain), limit: deps.budgets.newAddressEmailsPerDomainPerHour }];
}
