import { seconds } from '../core/account';
import type { LifecyclePolicy } from '../core/lifecycle';
import { type DeregisteredDeps, deregisteredDue, suspendDeregistered } from './suspend-deregistered';
import { type DeliverSweepDeps, deliverOwed, type Owed } from './sweep-deliver';
import { isolated, settle } from './sweep-item';

export interface SweepDeps extends DeliverSweepDeps, DeregisteredDeps {
  readonly lifecycle: LifecyclePolicy;
  /** Whether the sandbox hears of changes (a webhook is configured). */
  readonly events: boolean;
  /** Time left in this run; the sweep stops taking work when little is left (the next run takes the rest). */
  readonly timeLeftMs?: () => number | undefined;
}

/** Enough for one more account's writes. */
const ONE_MORE_MS = 2000;

export interface SweepReport {
  /** Accounts the due index returned (what the sweep read), each counted once. */
  readonly examined: number;
  readonly expired: number;
  readonly reminded: number;
  /** Requests whose approval link expired undecided (`no_decision`). */
  readonly undecided: number;
  /** Dormancy warnings sent, and dormant accounts expired. */
  readonly warned: number;
  readonly dormant: number;
  /** Accounts suspended because their domain left the .gov registry. */
  readonly suspended: number;
  /** Items whose handling failed: each counted, logged and taken up again after a backoff. */
  readonly failed: number;
  /** Due work this run read or knew of and left for the next (it ran out of time): 0 when it finished. */
  readonly backlog: number;
  /** Pages of the due index read. */
  readonly pages: number;
}

/** Due accounts per read of the due index; a run reads page after page while work is due and time is left. */
export const SWEEP_PAGE = 500;

/**
 * All timed work (docs/design.md §6, §7), in two phases so that no send delays a state change:
 * 1. read only what is due by now, through the due index (never a scan), page after page while
 *    time is left: accounts, and domains that left the .gov registry;
 * 2. state changes: suspend the active accounts of those domains (suspend-deregistered.ts); for
 *    each due account its duty as of now (sweep-item.ts: reminder, end, an unanswered request's
 *    `no_decision`, dormancy), written conditionally on the version read with the emails and
 *    event it owes. Each item in isolation: a failure is counted and the item retried later;
 * 3. deliveries (sweep-deliver.ts): the changes' emails, then each account's due retries and
 *    webhook events, a few accounts at once, each send bounded; the period's reminders go to
 *    each sponsor in one email. Items that cannot be attempted now are rescheduled past the
 *    blockage (deliver.ts), so they never stand in front of the rest.
 * It stops taking work before its deadline; what is left is reported as the backlog (a metric
 * and an alarm) and taken up by the next run.
 */
export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const timeLeft = () => deps.timeLeftMs?.() ?? Number.POSITIVE_INFINITY;
  const enoughTime = () => timeLeft() >= ONE_MORE_MS;
  const left = await deregisteredDue(deps);
  const deregistered = left.length ? await suspendDeregistered(left, deps, enoughTime) : { suspended: [], domains: 0 };
  const owed: Owed[] = deregistered.suspended.map((account) => ({ done: 'nothing', account }));
  const counts = { expired: 0, reminded: 0, undecided: 0, warned: 0, dormant: 0 };
  let failed = 0;
  const seen = new Set<string>(owed.map((item) => item.account.email));
  let backlog = 0;
  let pages = 0;
  let examined = 0;
  let drained = false;
  // Accounts this run changed may still be due (their deliveries wait for phase 3), so each read
  // asks for one page more than the run has seen, and skips what it has.
  for (let limit = SWEEP_PAGE; enoughTime(); limit = seen.size + SWEEP_PAGE) {
    const page = await deps.store.findDue(seconds(deps.clock.nowMs()), limit);
    pages++;
    const fresh = page.filter((account) => !seen.has(account.email));
    for (const [index, candidate] of fresh.entries()) {
      if (!enoughTime()) {
        backlog += fresh.length - index;
        break;
      }
      seen.add(candidate.email);
      examined++;
      const settled = await isolated(candidate, 'state change', deps, () => settle(candidate, deps));
      if (!settled) failed++;
      else if (settled.done !== 'nothing') counts[settled.done]++;
      if (settled?.account) owed.push(settled as Owed);
    }
    if (page.length < limit) {
      drained = true;
      break;
    }
  }
  // Out of time before the index ran dry: how much more is due is unknown, but not nothing.
  if (!drained) backlog = Math.max(backlog, 1);
  // A breaker that cannot be read holds anonymous mail, as an open one would; everything else still goes.
  const held = owed.length ? await deps.breaker.isOpen().catch(() => true) : false;
  const delivered = await deliverOwed(owed, held, deps, timeLeft);
  backlog += delivered.left;
  const report = { examined, ...counts, suspended: deregistered.suspended.length, failed, backlog, pages };
  deps.metrics.count('SweepBacklog', undefined, backlog);
  if (examined || left.length) deps.log.info('sweep done', { ...report, deregisteredDomains: deregistered.domains });
  return report;
}
