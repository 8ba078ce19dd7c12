import type { SponsorshipRequest } from '../core/account';
import { mailboxOf, maskAddress } from '../core/address';
import { limitKey } from '../core/limit-key';
import { hashLinkToken, newLinkId, newLinkToken } from '../core/link-token';
import type { EmailLimits } from '../core/mailbox-allowance';
import type {
  AccountStore,
  Clock,
  Log,
  MailboxAllowances,
  Metrics,
  Notifier,
  RateLimiter,
  ReputationBreaker,
  SuppressionList,
} from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { planSignUp } from '../core/sign-up-plan';
import { reportSend } from './report-send';

export interface LinkDeps {
  readonly store: AccountStore;
  /**
   * Sends without a suppression check of its own: requestLink reads the mailbox's suppression
   * with the account, before anything is planned, so a second read would only repeat it.
   */
  readonly mailer: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly allowances: MailboxAllowances;
  readonly limiter: RateLimiter;
  readonly breaker: ReputationBreaker;
  /** Service-wide budgets of anonymous-triggered emails per hour (reputation). */
  readonly budgets: { readonly anonymousEmailsPerHour: number; readonly newAddressEmailsPerDomainPerHour: number };
  readonly suppressions: SuppressionList;
  readonly emailLimits: EmailLimits;
  readonly verifyTtlSeconds: number;
  readonly signInUrl?: string;
}

export interface LinkRequest {
  /** Canonical address: the account key and the only recipient. */
  readonly email: string;
  readonly name?: string;
  readonly sponsorship?: SponsorshipRequest;
  readonly clientIp: string;
  readonly baseUrl: string;
}

/**
 * The part a gov/mil sign-up and a contractor's request share. Steps:
 * 1. read the account, whether the mailbox is suppressed and whether the reputation breaker is
 *    open (together); a suppressed mailbox's record does not change, and while the breaker is
 *    open nothing is sent or written;
 * 2. plan: a new link, a notice to an active owner, or nothing;
 * 3. charge the service-wide budgets (all anonymous emails per hour; and, for an address never
 *    emailed before, per registrable domain per hour), then take one email from the mailbox's
 *    allowance (cooldown, day cap; `+tag` spellings share it); past any, nothing is sent and
 *    nothing changes;
 * 4. write the plan conditionally; if another request won the race, send nothing;
 * 5. email the canonical address. A failed send is logged; the record stays consistent.
 * The caller answers the same way whatever happened here (no account enumeration).
 */
export async function requestLink(request: LinkRequest, deps: LinkDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  const who = maskAddress(request.email);
  const mailbox = mailboxOf(request.email);
  const [existing, suppressed, held] = await Promise.all([
    deps.store.get(request.email),
    deps.suppressions.isSuppressed(mailbox, nowMs),
    deps.breaker.isOpen(),
  ]);
  if (held) {
    deps.log.warn('request sends nothing: the reputation breaker is open', { recipient: who });
    deps.metrics.count('EmailsHeldByBreaker');
    return;
  }
  if (suppressed) {
    deps.log.info('request sends nothing', { recipient: who, reason: 'suppressed' });
    deps.metrics.count('EmailsSuppressed');
    return;
  }
  const linkId = existing?.linkId ?? newLinkId();
  const token = newLinkToken(linkId);
  const plan = planSignUp(
    existing,
    {
      email: request.email,
      ...(request.name ? { name: request.name } : {}),
      ...(request.sponsorship ? { sponsorship: request.sponsorship } : {}),
      linkId,
      tokenHash: hashLinkToken(token),
      verifyTtlSeconds: deps.verifyTtlSeconds,
    },
    { nowMs, ip: request.clientIp },
  );
  if (plan.action === 'nothing') {
    deps.log.info('request sends nothing', { recipient: who, reason: plan.reason });
    return;
  }
  const budget = await spendBudgets(request.email, existing === undefined, nowMs, deps);
  if (budget) {
    deps.log.warn('request sends nothing: email budget spent', { recipient: who, budget });
    deps.metrics.count('EmailBudgetExhausted', { budget });
    return;
  }
  if (!(await deps.allowances.take(mailbox, nowMs, deps.emailLimits))) {
    deps.log.info('request sends nothing', { recipient: who, reason: 'email_limit' });
    deps.metrics.count('RateLimitHits', { limit: 'recipient' });
    return;
  }
  if (plan.action === 'send_link' && !(await deps.store.put(plan.next, plan.expected))) {
    deps.log.info('request lost a race to a concurrent request', { recipient: who });
    return;
  }
  await reportSend(who, plan.action, deps, () =>
    deps.mailer.send(
      request.email,
      plan.action === 'send_link'
        ? {
            type: 'verify_link',
            link: `${request.baseUrl}/verify?token=${token}`,
            expiresAt: new Date((plan.next.verifyLinks?.at(-1)?.expiresAt ?? 0) * 1000),
            contractor: plan.next.kind === 'contractor',
          }
        : { type: 'already_active', ...(deps.signInUrl ? { signInUrl: deps.signInUrl } : {}) },
    ),
  );
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
  deps: LinkDeps,
): Promise<'service' | 'domain' | undefined> {
  const all = await deps.limiter.hit(limitKey('budget', 'anonymous-emails'), deps.budgets.anonymousEmailsPerHour, 3600, nowMs);
  if (!all.allowed) return 'service';
  if (!neverEmailed) return undefined;
  const domain = registrableDomainOf(email);
  const perDomain = await deps.limiter.hit(limitKey('new-address', domain), deps.budgets.newAddressEmailsPerDomainPerHour, 3600, nowMs);
  return perDomain.allowed ? undefined : 'domain';
}
