import type { Account } from '../core/account';
import { maskAddress } from '../core/address';
import type { Email } from '../core/email';
import { storedEmail } from '../core/email';
import type { Delivery } from '../core/outbox';
import { emailLink, linkBase } from '../service/links';
import { type DueDeps, deliverDue, recordResults, sendNow } from './deliver';
import { sendEmail } from './report-send';
import { isolated, type Settled, type SweepItemDeps } from './sweep-item';

/** Accounts whose sends run at once: enough to get through a slow receiver's timeouts, few enough for SES's send rate. */
export const SEND_CONCURRENCY = 8;

/**
 * Time a delivery needs to finish once begun: the slowest send's own timeout (a webhook's 10 s,
 * adapters/standard-webhook-sender.ts) and its writes. None begins with less left, so every send
 * in flight ends before the run's deadline.
 */
export const SEND_RESERVE_MS = 12_000;

export type DeliverSweepDeps = DueDeps & SweepItemDeps;

/** What the state changes left to send: the account as written, and what its change owes. */
export type Owed = Settled & { readonly account: Account };

/**
 * The second phase of a run, after every state change: each account's emails and webhook events,
 * a few accounts at a time, each in isolation; none begins without the time to finish. Returns
 * the accounts whose deliveries were not begun (the next run takes them) and the reminders owed.
 */
export async function deliverOwed(
  owed: readonly Owed[],
  held: boolean,
  deps: DeliverSweepDeps,
  timeLeft: () => number,
): Promise<{ left: number }> {
  const reminders = new Map<string, { account: Account; email: Delivery }[]>();
  let next = 0;
  const worker = async () => {
    while (next < owed.length && timeLeft() >= SEND_RESERVE_MS) {
      const item = owed[next++]!;
      const account = await isolated(item.account, 'deliveries', deps, () => deliverOne(item, held, deps));
      if (account && item.done === 'reminded' && item.email.channel === 'email') {
        const sponsor = item.email.to;
        reminders.set(sponsor, [...(reminders.get(sponsor) ?? []), { account, email: item.email }]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, owed.length) }, worker));
  for (const [sponsor, list] of reminders) {
    if (timeLeft() < SEND_RESERVE_MS) break;
    await isolated(list[0]!.account, 'reminder', deps, () => remind(sponsor, list, deps));
  }
  return { left: owed.length - next };
}

async function deliverOne(item: Owed, held: boolean, deps: DeliverSweepDeps): Promise<Account> {
  let account = item.account;
  if (item.done !== 'nothing' && item.now.length)
    account = await sendNow(
      account,
      item.now,
      { base: linkBase(deps.baseUrl, deps.signInUrl), ...(item.minted ? { minted: item.minted } : {}) },
      deps.notifier,
      deps,
    );
  return deliverDue(account, held, deps);
}

/** One email per sponsor for the reminders this run owes them, linking to their dashboard; each account's intent then settled. */
async function remind(sponsor: string, owed: { account: Account; email: Delivery }[], deps: DeliverSweepDeps): Promise<void> {
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
