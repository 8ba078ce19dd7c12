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
 * Time a send needs to finish once begun: its own timeout (SES's answer within 4 s,
 * wiring/aws-clients.ts; a webhook's 10 s, adapters/standard-webhook-sender.ts) and the writes
 * around it. None begins with less left, so every send in flight ends before the run's deadline.
 */
export const EMAIL_RESERVE_MS = 6_000;
export const SEND_RESERVE_MS = 12_000;

export type DeliverSweepDeps = DueDeps & SweepItemDeps;

/** What the state changes left to send: the account as written, and what its change owes. */
export type Owed = Settled & { readonly account: Account };

/** Runs `work` on each item, `SEND_CONCURRENCY` at once, beginning none once less than `reserveMs` is left; returns how many were not begun. */
async function eachAtOnce<T>(
  items: readonly T[],
  reserveMs: number,
  timeLeft: () => number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && timeLeft() >= reserveMs) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, items.length) }, worker));
  return items.length - next;
}

/**
 * The last phase of a run, after every state change, in two passes so that a slow receiver
 * delays no email: first the emails the changes owe now (each contractor's notice), then each
 * account's due retries and webhook events; then the period's reminders, one email per sponsor.
 * Each account in isolation. Returns how many accounts' deliveries were not begun (the next run
 * takes them).
 */
export async function deliverOwed(
  owed: readonly Owed[],
  held: boolean,
  deps: DeliverSweepDeps,
  timeLeft: () => number,
): Promise<{ left: number }> {
  const accounts = owed.map((item) => item.account);
  const links = { base: linkBase(deps.baseUrl, deps.signInUrl) };
  const emailsLeft = await eachAtOnce(owed, EMAIL_RESERVE_MS, timeLeft, async (item, index) => {
    if (item.done === 'nothing' || !item.now.length) return;
    const sent = await isolated(item.account, 'emails', deps, () =>
      sendNow(item.account, item.now, { ...links, ...(item.minted ? { minted: item.minted } : {}) }, deps.notifier, deps),
    );
    if (sent) accounts[index] = sent;
  });
  const deliveriesLeft = await eachAtOnce(owed, SEND_RESERVE_MS, timeLeft, async (_item, index) => {
    const account = await isolated(accounts[index]!, 'deliveries', deps, () => deliverDue(accounts[index]!, held, deps));
    if (account) accounts[index] = account;
  });
  // Whether or not its account's deliveries were begun: each sponsor's one email of the run.
  const reminders = new Map<string, { account: Account; email: Delivery }[]>();
  for (const [index, item] of owed.entries()) {
    if (item.done !== 'reminded' || item.email.channel !== 'email') continue;
    const sponsor = item.email.to;
    reminders.set(sponsor, [...(reminders.get(sponsor) ?? []), { account: accounts[index]!, email: item.email }]);
  }
  for (const [sponsor, list] of reminders) {
    if (timeLeft() < EMAIL_RESERVE_MS) break;
    await isolated(list[0]!.account, 'reminder', deps, () => remind(sponsor, list, deps));
  }
  return { left: Math.max(emailsLeft, deliveriesLeft) };
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
