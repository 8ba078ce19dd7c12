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
 * Charges the budgets (all anonymous emails per hour; and, for an address never emailed before,
 * per registrable domain per hour), then one email of the mailbox's allowance (cooldown, day
 * cap; `+tag` spellings share it). False, logged and counted, when any is spent.
 */
export async function chargeAnonymousEmail(email: string, neverEmailed: boolean, who: string, deps: AnonymousSendDeps): Promise<boolean> {
  const nowMs = deps.clock.nowMs();
  const budget = await spendBudgets(email, neverEmailed, nowMs, deps);
  if (budget) {
    deps.log.warn('request sends nothing: email budget spent', { recipient: who, budget });
    deps.metrics.count('EmailBudgetExhausted', { budget });
    return false;
  }
  if (!(await deps.allowances.take(mailboxOf(email), nowMs, deps.emailLimits))) {
    deps.log.info('request sends nothing', { recipient: who, reason: 'email_limit' });
    deps.metrics.count('RateLimitHits', { limit: 'recipient' });
    return false;
  }
  return true;
}

/**
 * The budgets that protect the sending reputation every user depends on: a flood of sign-ups
 * for random addresses bounces, and enough bounces pause all of the service's mail. Returns the
 * budget that is spent, if one is.
 */
async function spendBudgets(
  email: string,
  neverEmailed: boolean,
  nowMs: number,
  deps: AnonymousSendDeps,
): Promise<'service' | 'domain' | undefined> {
  const all = await deps.limiter.hit(limitKey('budget', 'anonymous-emails'), deps.budgets.anonymousEmailsPerHour, 3600, nowMs);
  if (!all.allowed) return 'service';
  if (!neverEmailed) return undefined;
  const domain = registrableDomainOf(email);
  const perDomain = await deps.limiter.hit(limitKey('new-address', domain), deps.budgets.newAddressEmailsPerDomainPerHour, 3600, nowMs);
  return perDomain.allowed ? undefined : 'domain';
}
