import type { Account } from '../core/account';
import { parseAddress } from '../core/address';
import { type DormancyPolicy, dormancyStart, restartDormancy } from '../core/dormancy';
import { InvalidRequestError } from '../core/errors';
import { type LifecyclePolicy, scheduled } from '../core/lifecycle';
import type { AccountStore, Clock, Log } from '../core/ports';
import { ACTIVITY_MAX } from '../core/roster';
import { untilSettled } from './retry-write';

export interface ActivityDeps {
  readonly store: AccountStore;
  /** Where activity counts (ACTIVITY_REPORTS=true), a report restarts an active account's dormancy clock. */
  readonly lifecycle?: LifecyclePolicy;
  readonly clock: Clock;
  readonly log: Log;
}

/** Accounts read at once, and written at once. */
const READ_BATCH = 100;
const WRITE_BATCH = 25;

export interface ActivityEntry {
  readonly email: string;
  readonly lastSeenAt: string;
}

/**
 * The sandbox reports when people were last seen (`POST /v1/activity`). Steps:
 * 1. every entry checked (an address, an instant; one in the future counts as now), the latest
 *    per account kept; one bad entry refuses the report (400, naming it), nothing written;
 * 2. the accounts read in batches; each whose last activity this moves forward is written,
 *    conditional on the version read (a lost race is read again), its dormancy clock restarted
 *    where activity counts. Not a change of standing: the audit trail and the roster's change
 *    time stay as they are;
 * 3. the answer counts the entries accepted: unknown addresses are ignored without saying which.
 */
export async function recordActivity(entries: readonly ActivityEntry[], deps: ActivityDeps): Promise<{ accepted: number }> {
  if (entries.length > ACTIVITY_MAX) throw new InvalidRequestError(`Report at most ${ACTIVITY_MAX} entries at once.`, 'activity');
  const nowMs = deps.clock.nowMs();
  const latest = new Map<string, number>();
  entries.forEach((entry, index) => {
    const parsed = parseAddress(entry.email);
    if (!parsed.ok) throw new InvalidRequestError(`Entry ${index}: "email" is not an email address.`, `activity.${index}.email`);
    const seenMs = Date.parse(entry.lastSeenAt);
    if (Number.isNaN(seenMs))
      throw new InvalidRequestError(`Entry ${index}: "lastSeenAt" is not an ISO 8601 time.`, `activity.${index}.lastSeenAt`);
    const email = parsed.address.canonical;
    latest.set(email, Math.max(latest.get(email) ?? 0, Math.min(seenMs, nowMs)));
  });
  const emails = [...latest.keys()];
  let moved = 0;
  for (let at = 0; at < emails.length; at += READ_BATCH) {
    const accounts = await deps.store.getMany(emails.slice(at, at + READ_BATCH));
    for (let next = 0; next < accounts.length; next += WRITE_BATCH) {
      const written = await Promise.all(
        accounts.slice(next, next + WRITE_BATCH).map((account) => moveForward(account, latest.get(account.email)!, deps)),
      );
      moved += written.filter(Boolean).length;
    }
  }
  deps.log.info('activity recorded', { entries: entries.length, accounts: emails.length, moved });
  return { accepted: entries.length };
}

/** An active account's dormancy clock restarted by activity later than its start, where activity counts. */
function restartedBy(account: Account, seenMs: number, policy: DormancyPolicy | undefined): Account {
  if (!policy?.activityReports || account.status !== 'active') return account;
  const start = dormancyStart(account, policy);
  return start !== undefined && Math.floor(seenMs / 1000) <= start ? account : restartDormancy(account, seenMs, policy);
}

async function moveForward(candidate: Account, seenMs: number, deps: ActivityDeps): Promise<boolean> {
  const seen = new Date(seenMs).toISOString();
  let account: Account | undefined = candidate;
  const done = await untilSettled(async () => {
    if (!account || (account.lastSeenAt !== undefined && account.lastSeenAt >= seen)) return false;
    const next = scheduled({ ...restartedBy(account, seenMs, deps.lifecycle?.dormancy), lastSeenAt: seen, version: account.version + 1 });
    if (await deps.store.put(next, account.version)) return true;
    // Read again as it was read first (a batch read): the function needs no other read.
    [account] = await deps.store.getMany([account.email]);
    return undefined;
  });
  return done === true;
}
