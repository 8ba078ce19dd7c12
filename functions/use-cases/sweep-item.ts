import type { Account } from '../core/account';
import { touched } from '../core/account-history';
import { maskAddress } from '../core/address';
import { CHANGES, SYSTEM } from '../core/changes';
import { dutyOf, nextDutyAt, scheduled } from '../core/lifecycle';
import type { Delivery } from '../core/outbox';
import type { Minted } from '../service/links';
import { type ChangeDeps, writeChange } from './change-account';
import { newKeepLink } from './deliver';
import { untilSettled } from './retry-write';

export type SweepItemDeps = Omit<ChangeDeps, 'notifier'>;

export type Settled =
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
 * One due account's duty as of now, written conditionally on the version read; a lost race
 * re-reads and decides again, so each change happens once.
 */
export async function settle(candidate: Account, deps: SweepItemDeps): Promise<Settled> {
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
const dormancyOf = (deps: SweepItemDeps) => (deps.lifecycle.dormancy?.activityReports ? ('activity' as const) : ('reconfirm' as const));

/** How long an item whose handling failed waits before the sweep takes it up again. */
export const ITEM_BACKOFF_SECONDS = 60;

/**
 * Runs one item's work so that its failure (a throttled write, a dependency down) ends only that
 * item: counted, logged, and the account taken up again after a backoff, so it is not first in
 * the next run's way either. Returns undefined when the item failed.
 */
export async function isolated<T>(account: Account, job: string, deps: SweepItemDeps, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    deps.metrics.count('SweepItemsFailed');
    deps.log.warn('sweep item failed; taken up again later', {
      account: maskAddress(account.email),
      job,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    await pushedBack(account, deps);
    return undefined;
  }
}

/** The account's due time moved past a backoff (when a write is possible at all); the sweep's duty as of then is decided then. */
async function pushedBack(account: Account, deps: SweepItemDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  const later = Math.floor(nowMs / 1000) + ITEM_BACKOFF_SECONDS;
  if (account.dueAt !== undefined && account.dueAt >= later) return;
  try {
    await deps.store.put({ ...touched(account, { nowMs }), dueAt: later }, account.version);
  } catch {
    // The store refuses this account's writes for now: the next run meets it again, and it costs that run one item.
  }
}
