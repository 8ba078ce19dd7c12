import type { Account, Moment } from '../core/account';
import { maskAddress } from '../core/address';
import { type AccountChange, byOf, type ChangeRequest, mayChange, SYSTEM } from '../core/changes';
import { type LifecyclePolicy, scheduled, statusAt } from '../core/lifecycle';
import { accessEvent, emailNow, eventLater, eventNow, eventsWaiting, newDeliveryId, withDeliveries } from '../core/outbox';
import type { AccountStore, Notifier } from '../core/ports';
import type { LinkBase } from '../service/links';
import { type DeliverDeps, type SendLinks, sendNow } from './deliver';
import { mayEventGoAtOnce } from './event-at-once';
import { untilSettled } from './retry-write';

export interface ChangeDeps extends DeliverDeps {
  readonly store: AccountStore;
  readonly notifier: Notifier;
  readonly lifecycle: LifecyclePolicy;
  /** A webhook receiver is configured: changes record the sandbox's event. */
  readonly events: boolean;
}

/** How a use case has the executor find the account and say no, in its own words. */
export interface ChangeScope {
  /** The account the change is for, read afresh on every try (and checked: throws when it is not the asker's). */
  find(): Promise<Account>;
  /** Refuses (throws) when the change does not fit the account's status as of now. */
  refuse(status: ReturnType<typeof statusAt>, account: Account): never;
  /** Refuses (throws) when other writes kept winning. */
  conflict(): never;
  /** Where the emails' links point. */
  readonly links: LinkBase;
  /** The client address, for the audit entry. */
  readonly ip?: string;
}

/** A change that landed: the account as written and the emails it owes, to send at once (and its event, when it goes at once). */
export interface Written {
  readonly next: Account;
  readonly emailIds: readonly string[];
  readonly eventId?: string;
}

/**
 * Who sends the change's event: its writer, right after the write (`at once`), or the sweep. A
 * writer sends it only when none of the account's earlier events is waiting (they arrive in
 * order) and it may (a receiver, room in this process); the sweep's own changes leave theirs to
 * its last phase, after every email.
 */
export type EventSender = 'at once' | 'sweep';

/**
 * One try of a declared change on the account as read: the change, its audit entry, the emails
 * it owes and the sandbox's event in one conditional write with the account's next duty
 * (`dueAt`), then its metric and log line. `undefined`: another write won; nothing was changed.
 */
export async function writeChange(
  change: AccountChange,
  account: Account,
  request: ChangeRequest,
  at: Moment,
  deps: Omit<ChangeDeps, 'notifier'>,
  sender: EventSender = 'sweep',
): Promise<Written | undefined> {
  const changed = change.apply(account, request, at, deps.lifecycle);
  const emails = change.emails(changed, request, at).map((owed) => emailNow(newDeliveryId(), owed.to, owed.email, at.nowMs, deps.delivery));
  const told = deps.events && change.event ? accessEvent(change.event, changed, byOf(request.actor), at.nowMs) : undefined;
  const atOnce = told !== undefined && sender === 'at once' && !eventsWaiting(account) && mayEventGoAtOnce(deps);
  const event = !told
    ? []
    : [atOnce ? eventNow(newDeliveryId(), told, at.nowMs, deps.delivery) : eventLater(newDeliveryId(), told, at.nowMs)];
  const next = scheduled(withDeliveries(changed, [...emails, ...event]));
  if (!(await deps.store.put(next, account.version))) return undefined;
  if (change.metric) deps.metrics.count(change.metric);
  // A sponsor is named by their (unmasked) address: logged by role only. An operator by name.
  const who = request.actor.role === 'operator' ? { operator: request.actor.name } : {};
  deps.log.info(change.log, { account: maskAddress(next.email), by: request.actor.role, ...who });
  return { next, emailIds: emails.map((email) => email.id), ...(atOnce ? { eventId: event[0]!.id } : {}) };
}

/** Sends what a change owes at once (its emails, and its event when it goes at once); the account as stored afterwards. */
export async function sendWritten(written: Written, links: SendLinks, notifier: Notifier, deps: DeliverDeps): Promise<Account> {
  const ids = [...written.emailIds, ...(written.eventId ? [written.eventId] : [])];
  return ids.length ? sendNow(written.next, ids, links, notifier, deps) : written.next;
}

/**
 * Runs a declared change asked for by a person. Steps:
 * 1. find the account (the use case has already said who may ask) and check the change fits its
 *    status as of now;
 * 2. write it (`writeChange`); a lost race re-reads and decides again, so of N concurrent
 *    identical clicks exactly one changes anything;
 * 3. send the emails and the sandbox's event at once (what fails stays in the outbox for the sweep).
 */
export async function changeAccount(
  change: AccountChange,
  asked: ChangeRequest | ((account: Account) => ChangeRequest),
  scope: ChangeScope,
  deps: ChangeDeps,
): Promise<Account> {
  const changed = await untilSettled(async () => {
    const account = await scope.find();
    const request = typeof asked === 'function' ? asked(account) : asked;
    const nowMs = deps.clock.nowMs();
    if (!mayChange(change, account, nowMs)) scope.refuse(statusAt(account, nowMs), account);
    const written = await writeChange(change, account, request, { nowMs, ...(scope.ip ? { ip: scope.ip } : {}) }, deps, 'at once');
    if (!written) return undefined;
    await sendWritten(written, { base: scope.links }, deps.notifier, deps);
    return written.next;
  });
  return changed ?? scope.conflict();
}

/**
 * A change the service makes by itself on an account it found (a suspension): written if it fits
 * the account as of now, a lost race read again and decided again. The account as written; `null`
 * when it does not fit (nothing to do); `undefined` when other writes kept winning.
 */
export async function changeBySystem(
  change: AccountChange,
  candidate: Account | undefined,
  deps: Omit<ChangeDeps, 'notifier'>,
): Promise<Account | null | undefined> {
  let account = candidate;
  return untilSettled(async () => {
    const nowMs = deps.clock.nowMs();
    if (!account || !mayChange(change, account, nowMs)) return null;
    const written = await writeChange(change, account, { actor: SYSTEM }, { nowMs }, deps);
    if (written) return written.next;
    account = await deps.store.get(account.email);
    return undefined;
  });
}
