import { type Account, seconds } from '../core/account';
import { CHANGES } from '../core/changes';
import type { DeregisteredDomain, DomainRegistry } from '../core/ports';
import { isLivePending } from '../core/sign-up-plan';
import { type ChangeDeps, changeBySystem } from './change-account';
import { isolated } from './sweep-item';

export interface DeregisteredDeps extends Omit<ChangeDeps, 'notifier'> {
  readonly registry: Pick<DomainRegistry, 'leftDue' | 'settleLeft'>;
}

/** At most this many domains that left the registry per run; the next run takes the rest. */
export const DEREGISTERED_BATCH = 50;

/** What a run of `suspendDeregistered` did: the accounts it suspended, and the domains it finished. */
export interface Deregistration {
  readonly suspended: readonly Account[];
  readonly domains: number;
}

/**
 * Accounts on domains that left the .gov registry (docs/design.md §3, §6). Steps:
 * 1. the domains a registry load marked removed and that are still due (the due index, never a scan);
 * 2. each one's agency accounts (index `byDomain`): every active one → `suspended` (reason
 *    `domain_deregistered`, `access.suspended`) by the declared change, conditional on the version
 *    read; a stale index copy is read again, so each account changes once;
 * 3. the domain is settled (no longer due) only when all its accounts were handled, so a run
 *    cut short, an account whose writes kept losing or failed (counted, and retried after a
 *    backoff: one account never stops the others), or a confirmation link still live on it is
 *    taken up by the next run.
 */
export async function suspendDeregistered(
  left: readonly DeregisteredDomain[],
  deps: DeregisteredDeps,
  enoughTime: () => boolean,
): Promise<Deregistration> {
  const suspended: Account[] = [];
  let domains = 0;
  for (const domain of left) {
    if (!enoughTime()) break;
    let complete = true;
    for (const candidate of await deps.store.findByDomain(domain.domain)) {
      if (!enoughTime()) {
        complete = false;
        break;
      }
      // A link still live could make the account active after this run: the domain stays due
      // until it is used (and suspended next run) or expires.
      if (isLivePending(candidate, deps.clock.nowMs())) complete = false;
      const settled = await isolated(candidate, 'suspension', deps, () => changeBySystem(CHANGES.suspendDeregistered, candidate, deps));
      if (settled === undefined) complete = false;
      else if (settled) suspended.push(settled);
    }
    if (!complete) continue;
    await deps.registry.settleLeft(domain);
    domains++;
  }
  return { suspended, domains };
}

/** The due domains as of now, for the sweep to read alongside its due accounts. */
export function deregisteredDue(deps: DeregisteredDeps): Promise<DeregisteredDomain[]> {
  return deps.registry.leftDue(seconds(deps.clock.nowMs()), DEREGISTERED_BATCH);
}
