import { type Account, type AccountStatus, iso, type Moment, seconds } from './account';
import { withEvent } from './account-history';
import { type DormancyPolicy, dormancyDueAt } from './dormancy';
import { nextDeliveryAt } from './outbox';

/**
 * Access that ends (docs/design.md §6): an approved contractor's access lasts a period; the sponsor is
 * reminded once per period before it ends, may renew it or end it; the sweep expires it. Pure:
 * the use cases read, decide here, and write conditionally.
 */
export interface LifecyclePolicy {
  /** How long an approval or a renewal grants access. */
  readonly accessSeconds: number;
  /** How long before the end the sponsor is reminded. */
  readonly renewalNoticeSeconds: number;
  /** When accounts go dormant (none: they do not). */
  readonly dormancy?: DormancyPolicy;
}

export const endOf = (account: Account): number | undefined =>
  account.accessExpiresAt === undefined ? undefined : Date.parse(account.accessExpiresAt);

/** The status as of `nowMs`: an active contractor past its end has expired, whether or not the sweep has run. */
export function statusAt(account: Account, nowMs: number): AccountStatus {
  const end = endOf(account);
  if (account.kind === 'contractor' && account.status === 'active' && end !== undefined && nowMs >= end) return 'expired';
  return account.status;
}

/** When the account next needs the sweep: its access period's duty, or its dormancy's. */
function lifecycleDueAt(account: Account): number | undefined {
  const times = [periodDueAt(account), dormancyDueAt(account)].filter((time): time is number => time !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/** One reminder per period: this period's has gone. */
const remindedForPeriod = (account: Account): boolean => account.remindedFor === account.accessExpiresAt;

/** When this access period next needs the sweep: its reminder if not yet sent, else its end; or an unanswered request's deadline. */
function periodDueAt(account: Account): number | undefined {
  if (account.kind === 'contractor' && account.status === 'awaiting_sponsor') return account.approvalExpiresAt;
  const end = endOf(account);
  if (account.kind !== 'contractor' || account.status !== 'active' || end === undefined) return undefined;
  // Rounded up: the sweep finds the end due only once it has passed, never in its last second.
  const endsAt = Math.ceil(end / 1000);
  const remind = remindedForPeriod(account) ? undefined : account.remindAt;
  return remind === undefined ? endsAt : Math.min(remind, endsAt);
}

/** The next timed duty of any kind: the period's reminder or end, or a delivery's next attempt. */
export function nextDutyAt(account: Account): number | undefined {
  const times = [lifecycleDueAt(account), nextDeliveryAt(account)].filter((time): time is number => time !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/** The account with its due time set from its state (or removed when nothing is due): call on every write. */
export function scheduled(account: Account): Account {
  const { dueAt: _previous, ...rest } = account;
  const dueAt = nextDutyAt(account);
  return dueAt === undefined ? rest : { ...rest, dueAt };
}

/** A new access period from `fromMs`: its end, and its reminder `renewalNoticeSeconds` before. */
export function period(fromMs: number, policy: LifecyclePolicy): Pick<Account, 'accessExpiresAt' | 'remindAt'> {
  const end = fromMs + policy.accessSeconds * 1000;
  return { accessExpiresAt: iso(end), remindAt: Math.max(0, seconds(end) - policy.renewalNoticeSeconds) };
}

export type Duty = 'expire' | 'remind' | 'no_decision' | 'dormant' | 'warn_dormant' | 'none';

/** What the sweep must do for this account now: the period's reminder or end, an unanswered request's end, or dormancy's. */
export function dutyOf(account: Account, nowMs: number): Duty {
  const now = seconds(nowMs);
  const period = periodDueAt(account);
  if (period !== undefined && now >= period) {
    if (account.status === 'awaiting_sponsor') return 'no_decision';
    if (statusAt(account, nowMs) === 'expired') return 'expire';
    return remindedForPeriod(account) ? 'none' : 'remind';
  }
  const dormancy = dormancyDueAt(account);
  if (dormancy === undefined || now < dormancy) return 'none';
  return account.dormantAt !== undefined && now >= account.dormantAt ? 'dormant' : 'warn_dormant';
}

/** active → expired, by the service itself. */
export function expire(account: Account, at: Moment): Account {
  return scheduled(withEvent({ ...account, status: 'expired', expiredAt: iso(at.nowMs) }, 'access_expired', 'system', at));
}

/** The period's reminder has gone to the sponsor: the next duty is the end itself. */
export function reminded(account: Account, at: Moment): Account {
  const next: Account = { ...account, ...(account.accessExpiresAt ? { remindedFor: account.accessExpiresAt } : {}) };
  return scheduled(withEvent(next, 'renewal_reminder_sent', 'system', at));
}

export const MANAGE_ACTIONS = ['renew', 'end'] as const;
export type ManageAction = (typeof MANAGE_ACTIONS)[number];
