import { type Account, seconds } from '../core/account';
import { touched } from '../core/account-history';
import { mailboxOf, maskAddress } from '../core/address';
import { dutyOf, expire, type LifecyclePolicy, nextDutyAt, reminded, scheduled } from '../core/lifecycle';
import type { AccountStore, Clock, Log, Metrics, Notifier } from '../core/ports';
import { type IssueDeps, issueManageLink } from './issue-manage-link';
import { reportSend } from './report-send';

export interface SweepDeps extends IssueDeps {
  readonly store: AccountStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly lifecycle: LifecyclePolicy;
  readonly baseUrl: string;
}

export interface SweepReport {
  /** Accounts the due index returned (what the sweep read). */
  readonly examined: number;
  readonly expired: number;
  readonly reminded: number;
}

/** At most this many due accounts per run; the next run takes the rest. */
export const SWEEP_BATCH = 500;

type Settled = { readonly done: 'expired' | 'reminded'; readonly account: Account } | { readonly done: 'nothing' };

/**
 * The timed work (DESIGN §6). Steps:
 * 1. read only what is due by now, through the due index (never a scan);
 * 2. for each account, decide its duty as of now and write the change conditionally on the
 *    version read; a lost race (another sweep, a sponsor's click) re-reads and decides again, so
 *    each change happens once whatever runs at the same time;
 * 3. an expiry emails the contractor; the period's reminders go to each sponsor in one email,
 *    with a new management link.
 */
export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const due = await deps.store.findDue(seconds(deps.clock.nowMs()), SWEEP_BATCH);
  const reminders = new Map<string, Account[]>();
  let expired = 0;
  for (const candidate of due) {
    const settled = await settle(candidate, deps);
    if (settled.done === 'expired') {
      expired++;
      await tellExpired(settled.account, deps);
    }
    if (settled.done === 'reminded') {
      const sponsor = settled.account.sponsoredBy ?? settled.account.request?.sponsorEmail;
      if (sponsor) reminders.set(sponsor, [...(reminders.get(sponsor) ?? []), settled.account]);
    }
  }
  for (const [sponsor, accounts] of reminders) await remind(sponsor, accounts, deps);
  const report = { examined: due.length, expired, reminded: [...reminders.values()].flat().length };
  if (due.length) deps.log.info('sweep done', { ...report });
  return report;
}

async function settle(candidate: Account, deps: SweepDeps): Promise<Settled> {
  let account: Account | undefined = candidate;
  for (let attempt = 0; attempt < 3 && account; attempt++) {
    const nowMs = deps.clock.nowMs();
    const duty = dutyOf(account, nowMs);
    const next =
      duty === 'expire'
        ? expire(account, { nowMs })
        : duty === 'remind'
          ? reminded(account, { nowMs })
          : // Nothing due (an index copy behind its item, or a policy changed): only the due time is set right.
            account.dueAt !== nextDutyAt(account)
            ? touched(scheduled(account), { nowMs })
            : undefined;
    if (!next) return { done: 'nothing' };
    if (await deps.store.put(next, account.version)) {
      if (duty === 'expire') {
        deps.log.info('access expired', { contractor: maskAddress(next.email) });
        deps.metrics.count('AccessExpired');
        return { done: 'expired', account: next };
      }
      return duty === 'remind' ? { done: 'reminded', account: next } : { done: 'nothing' };
    }
    account = await deps.store.get(account.email);
  }
  return { done: 'nothing' };
}

async function tellExpired(account: Account, deps: SweepDeps): Promise<void> {
  const sponsor = account.sponsoredBy ?? account.request?.sponsorEmail ?? '';
  await reportSend(maskAddress(account.email), 'access_expired', deps, () =>
    deps.notifier.send(account.email, {
      type: 'access_expired',
      sponsorEmail: sponsor,
      newRequestUrl: `${deps.baseUrl}/contractors`,
      ...(account.name ? { name: account.name } : {}),
    }),
  );
}

async function remind(sponsor: string, accounts: Account[], deps: SweepDeps): Promise<void> {
  const mailbox = mailboxOf(sponsor);
  const link = await issueManageLink(mailbox, await deps.sponsors.get(mailbox), deps);
  if (!link) {
    deps.log.error('renewal reminder not sent: the management link could not be written', { sponsor: maskAddress(sponsor) });
    return;
  }
  deps.metrics.count('RenewalReminders', {}, accounts.length);
  await reportSend(maskAddress(sponsor), 'renewal_reminder', deps, () =>
    deps.notifier.send(sponsor, {
      type: 'renewal_reminder',
      contractors: accounts.map((account) => ({
        ...(account.name ? { name: account.name } : {}),
        email: account.email,
        company: account.request?.company ?? '',
        accessExpiresAt: new Date(account.accessExpiresAt ?? 0),
      })),
      link: `${deps.baseUrl}/sponsors/manage?token=${link.token}`,
      linkExpiresAt: new Date(link.expiresAt * 1000),
    }),
  );
}
