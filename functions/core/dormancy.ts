import { type Account, seconds } from './account';

/**
 * Agency accounts end too (docs/design.md §6): an active account is dormant a period after the
 * later of its activation and its last activity, warned before; then it expires. Where the
 * sandbox reports activity (`ACTIVITY_REPORTS=true`) the period is DORMANT_AFTER_SECONDS and each
 * report restarts it; otherwise every account confirms once per RECONFIRM_SECONDS, the same way.
 * Pure: the times are kept on the account, so the sweep's due index finds them.
 */
export interface DormancyPolicy {
  readonly activityReports: boolean;
  readonly afterSeconds: number;
  readonly reconfirmSeconds: number;
  /** How long before the end each warning goes, longest first (DORMANT_WARNING_SECONDS). */
  readonly warningSeconds: readonly number[];
}

export const dormancyPeriod = (policy: DormancyPolicy): number => (policy.activityReports ? policy.afterSeconds : policy.reconfirmSeconds);

export type DormancyClock = Pick<Account, 'dormantAt' | 'dormancyWarnings'>;

/** The clock started at `fromMs`: when the account becomes dormant, and the warnings still to come (soonest first). */
export function dormancyFrom(fromMs: number, policy: DormancyPolicy | undefined): DormancyClock {
  if (!policy) return {};
  const from = seconds(fromMs);
  const dormantAt = from + dormancyPeriod(policy);
  const dormancyWarnings = policy.warningSeconds.map((before) => dormantAt - before).filter((at) => at > from);
  return { dormantAt, dormancyWarnings: [...new Set(dormancyWarnings)].sort((a, b) => a - b) };
}

/** When the current clock started (its end less the period), if the account has one. */
export function dormancyStart(account: Account, policy: DormancyPolicy): number | undefined {
  return account.dormantAt === undefined ? undefined : account.dormantAt - dormancyPeriod(policy);
}

/** The account's next dormancy duty time: its next warning, else its end; none unless active with a clock. */
export function dormancyDueAt(account: Account): number | undefined {
  if (account.status !== 'active' || account.dormantAt === undefined) return undefined;
  return Math.min(account.dormancyWarnings?.[0] ?? account.dormantAt, account.dormantAt);
}

/** The account with its clock replaced (or, without a policy, as it was). */
export function restartDormancy(account: Account, fromMs: number, policy: DormancyPolicy | undefined): Account {
  if (!policy) return account;
  const { dormantAt: _end, dormancyWarnings: _warnings, keepLinks: _links, ...rest } = account;
  return { ...rest, ...dormancyFrom(fromMs, policy) };
}
