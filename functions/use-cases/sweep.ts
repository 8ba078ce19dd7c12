import { type Account, seconds } from '../core/account';
import { touched } from '../core/account-history';
import { maskAddress } from '../core/address';
import { CHANGES, SYSTEM } from '../core/changes';
import { type Email, storedEmail } from '../core/email';
import { dutyOf, type LifecyclePolicy, nextDutyAt, scheduled } from '../core/lifecycle';
import type { Delivery } from '../core/outbox';
import { emailLink, linkBase, type Minted } from '../service/links';
import { writeChange } from './change-account';
import { type DueDeps, deliverDue, newKeepLink, recordResults, sendNow } from './deliver';
import { sendEmail } from './report-send';
import { untilSettled } from './retry-write';
import { type DeregisteredDeps, deregisteredDue, suspendDeregistered } from './suspend-deregistered';

export interface SweepDeps extends DueDeps, DeregisteredDeps {
  readonly lifecycle: LifecyclePolicy;
  /** Whether the sandbox hears of changes (a webhook is configured). */
  readonly events: boolean;
  /** Time left in this run; the sweep stops taking accounts when little is left (the next run takes the rest). */
  readonly timeLeftMs?: () => number | undefined;
}

/** Enough for one more account's writes and sends. */
const ONE_MORE_MS = 2000;

export interface SweepReport {
  /** Accounts the due index returned (what the sweep read). */
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
}

/** At most this many due accounts per run; the next run takes the rest. */
export const SWEEP_BATCH = 500;

type Settled =
  | {
      readonly done: 'expired' | 'reminded' | 'undecided' | 'warned' | 'dormant';
      readonly account: Account;
      /** The change's first email: a reminder waits to go in its sponsor's one email of the run. */
      readonly email: Delivery;
      /** What goes at once: the person's email (a reminder's is the contractor's notice). */
      readonly now: readonly string[];
      /** Tokens minted for those emails' links (a dormancy warning's "keep my account"). */
      readonly minted?: Readonly<Record<string, Minted>>;
    }
  | { readonly done: 'nothing'; readonly account: Account | undefined };

const CHANGE_OF = {
  expire: CHANGES.expire,
  remind: CHANGES.remind,
  no_decision: CHANGES.noDecision,
  warn_dormant: CHANGES.warnDormant,
  dormant: CHANGES.expireDormant,
} as const;
const DONE_OF = { expire: 'expired', remind: 'reminded', no_decision: 'undecided', warn_dormant: 'warned', dormant: 'dormant' } as const;

/**
 * All timed work (docs/design.md §6, §7). Steps:
 * 1. read only what is due by now, through the due index (never a scan): accounts, and domains
 *    that left the .gov registry;
 * 2. suspend the active accounts of those domains (suspend-deregistered.ts), and send their events;
 * 3. for each due account, its duty as of now (the period's reminder and the contractor's notice,
 *    its end; an unanswered request's end as `no_decision`), written
 *    conditionally on the version read with the emails and event it owes; a lost race (another
 *    sweep, a sponsor's click) re-reads and decides again, so each change happens once;
 * 4. its due deliveries: email retries (with fresh links) and webhook events, in order;
 * 5. the period's reminders go to each sponsor in one email, with a new management link.
 */
export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const [due, left] = await Promise.all([deps.store.findDue(seconds(deps.clock.nowMs()), SWEEP_BATCH), deregisteredDue(deps)]);
  const held = due.length ? await deps.breaker.isOpen() : false;
  const enoughTime = () => (deps.timeLeftMs?.() ?? Number.POSITIVE_INFINITY) >= ONE_MORE_MS;
  const deregistered = left.length ? await suspendDeregistered(left, deps, enoughTime) : { suspended: [], domains: 0 };
  for (const account of deregistered.suspended) await deliverDue(account, held, deps);
  const reminders = new Map<string, { account: Account; email: Delivery }[]>();
  const counts = { expired: 0, reminded: 0, undecided: 0, warned: 0, dormant: 0 };
  for (const candidate of due) {
    if (!enoughTime()) break;
    const settled = await settle(candidate, deps);
    let account = settled.account;
    if (settled.done !== 'nothing') {
      counts[settled.done]++;
      if (settled.now.length)
        account = await sendNow(
          settled.account,
          settled.now,
          { base: linkBase(deps.baseUrl, deps.signInUrl), ...(settled.minted ? { minted: settled.minted } : {}) },
          deps.notifier,
          deps,
        );
      if (settled.done === 'reminded' && settled.email.channel === 'email' && account) {
        const sponsor = settled.email.to;
        reminders.set(sponsor, [...(reminders.get(sponsor) ?? []), { account, email: settled.email }]);
      }
    }
    if (account) await deliverDue(account, held, deps);
  }
  for (const [sponsor, owed] of reminders) await remind(sponsor, owed, deps);
  const report = { examined: due.length, ...counts, suspended: deregistered.suspended.length };
  if (due.length || left.length) deps.log.info('sweep done', { ...report, deregisteredDomains: deregistered.domains });
  return report;
}

async function settle(candidate: Account, deps: SweepDeps): Promise<Settled> {
  let account: Account | undefined = candidate;
  const settled = await untilSettled(async (): Promise<Settled | undefined> => {
    if (!account) return { done: 'nothing', account };
    const nowMs = deps.clock.nowMs();
    const duty = dutyOf(account, nowMs);
    if (duty === 'none') {
      // Nothing of the period is due (an index copy behind its item, or only deliveries are due):
      // only a stale due time is set right.
      if (account.dueAt === nextDutyAt(account)) return { done: 'nothing', account };
      const repaired = touched(scheduled(account), { nowMs });
      if (await deps.store.put(repaired, account.version)) return { done: 'nothing', account: repaired };
    } else {
      const keep = duty === 'warn_dormant' ? newKeepLink(account) : undefined;
      const request = { actor: SYSTEM, ...(keep ? { keepLink: keep.link } : {}), dormancy: dormancyOf(deps) };
      const written = await writeChange(CHANGE_OF[duty], account, request, { nowMs }, deps);
      const email = written?.next.outbox?.find((delivery) => delivery.id === written.emailIds[0]);
      if (written && email) {
        const now = duty === 'remind' ? written.emailIds.slice(1) : written.emailIds;
        const minted = keep ? { [email.id]: keep.minted } : undefined;
        return { done: DONE_OF[duty], account: written.next, email, now, ...(minted ? { minted } : {}) };
      }
    }
    account = await deps.store.get(account.email);
    return undefined;
  });
  return settled ?? { done: 'nothing', account };
}

/** What restarts a dormancy clock besides the warning's button. */
const dormancyOf = (deps: SweepDeps) => (deps.lifecycle.dormancy?.activityReports ? ('activity' as const) : ('reconfirm' as const));

/** One email per sponsor for the reminders this run owes them, linking to their dashboard; each account's intent then settled. */
async function remind(sponsor: string, owed: { account: Account; email: Delivery }[], deps: SweepDeps): Promise<void> {
  deps.metrics.count('RenewalReminders', {}, owed.length);
  const reminder: Email = {
    type: 'renewal_reminder',
    contractors: owed.flatMap(({ email }) => {
      const stored = email.channel === 'email' ? storedEmail(email.email) : undefined;
      return stored?.type === 'renewal_reminder' ? stored.contractors : [];
    }),
  };
  const sent = await sendEmail(maskAddress(sponsor), 'renewal_reminder', deps, () =>
    deps.notifier.send(sponsor, reminder, emailLink(reminder, linkBase(deps.baseUrl))),
  );
  if (sent.outcome === 'transient') return;
  for (const { account, email } of owed) await recordResults(account, [{ id: email.id, ...sent }], deps);
}
