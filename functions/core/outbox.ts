import { randomBytes } from 'node:crypto';
import type { Account, AccountKind } from './account';
import type { Email } from './email';
import type { Agency } from './registry';

/**
 * The outbox in the item (docs/design.md §7): a state change and the intents of its side effects (the
 * emails and webhook events it causes) are written in the same conditional write; a sender
 * delivers them after the write and clears each one it delivered; what fails stays, with its next
 * attempt time, for the sweep. Pure: no I/O here.
 */

/** The one list of the events the sandbox is told of; the OpenAPI document's `webhooks` are made from it. */
export const ACCESS_EVENT_TYPES = ['access.granted', 'access.renewed', 'access.revoked', 'access.expired', 'access.suspended'] as const;
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

/** What an event says of the account's standing. */
export const ACCESS_EVENT_STATUSES = ['active', 'revoked', 'expired', 'suspended'] as const;

/** A webhook event's body (the Standard Webhooks payload): what the sandbox is told. */
export interface AccessEvent {
  readonly type: AccessEventType;
  readonly timestamp: string;
  readonly data: {
    readonly email: string;
    readonly kind: AccountKind;
    readonly status: (typeof ACCESS_EVENT_STATUSES)[number];
    readonly accessExpiresAt: string | null;
    readonly sponsor: string | null;
    readonly by: string;
    /** Who the address belongs to, as the .gov registry names it (a contractor: their sponsor's); none off the registry. */
    readonly agency: Agency | null;
    /**
     * The account's write that caused the event: larger for every later change of the address, so a
     * receiver applies an event only when it is newer than the last it applied.
     */
    readonly sequence: number;
  };
}

interface DeliveryBase {
  /** Stable across retries: the webhook's `webhook-id`, and how a sender clears what it delivered. */
  readonly id: string;
  /** Attempts made (or begun) so far. */
  readonly attempts: number;
  /** Epoch seconds: not before this may anyone attempt it (again). */
  readonly nextAttemptAt: number;
  /** No more attempts: the last failed, or the refusal was permanent. Kept, counted, retryable by an operator. */
  readonly failed?: true;
  readonly lastError?: string;
  readonly createdAt: string;
}

/** A budget an anonymous-triggered email is charged to: its name (the metric's) and its counter's key. */
export interface BudgetCharge {
  readonly name: 'service' | 'domain' | 'client';
  readonly key: string;
}

export type Delivery =
  | (DeliveryBase & {
      readonly channel: 'email';
      readonly to: string;
      readonly email: Email;
      /** Held back by a spent budget: charged to these before it may go (then removed). */
      readonly charges?: readonly BudgetCharge[];
    })
  | (DeliveryBase & { readonly channel: 'webhook'; readonly event: AccessEvent });

export interface DeliveryPolicy {
  /** The first retry's delay; each later one doubles it. */
  readonly retrySeconds: number;
  readonly maxAttempts: number;
}

/**
 * How long the request that wrote an email's intent has to send it before the sweep may: longer
 * than a function may run, so the two never send the same intent at once.
 */
export const SEND_LEASE_SECONDS = 15;

/** The delay before attempt `attempt + 1`, after `attempt` attempts: retrySeconds, then doubling. */
export function backoffSeconds(attempt: number, policy: DeliveryPolicy): number {
  return policy.retrySeconds * 2 ** Math.max(0, attempt - 1);
}

const nowSeconds = (nowMs: number) => Math.floor(nowMs / 1000);

/** An email the writer sends at once (attempt 1): the sweep's retry waits out the lease and the first backoff. */
export function emailNow(id: string, to: string, email: Email, nowMs: number, policy: DeliveryPolicy): Delivery {
  const wait = Math.max(SEND_LEASE_SECONDS, backoffSeconds(1, policy));
  return {
    id,
    channel: 'email',
    to,
    email,
    attempts: 1,
    nextAttemptAt: nowSeconds(nowMs) + wait,
    createdAt: new Date(nowMs).toISOString(),
  };
}

/** An email due now for a sender that claims it first (attempt 1 begins with the claim). */
export function emailDue(id: string, to: string, email: Email, nowMs: number): Delivery {
  return { id, channel: 'email', to, email, attempts: 0, nextAttemptAt: nowSeconds(nowMs), createdAt: new Date(nowMs).toISOString() };
}

/**
 * An email a spent budget holds back: not attempted before `untilSeconds` (the budget's next
 * window), and then only once the budgets it names have room.
 */
export function emailHeld(
  id: string,
  to: string,
  email: Email,
  nowMs: number,
  untilSeconds: number,
  charges: readonly BudgetCharge[],
): Delivery {
  return { id, channel: 'email', to, email, charges, attempts: 0, nextAttemptAt: untilSeconds, createdAt: new Date(nowMs).toISOString() };
}

/** A webhook event left to the sweep, due at once (its next run sends it, after the account's earlier events). */
export function eventLater(id: string, event: AccessEvent, nowMs: number): Delivery {
  return { id, channel: 'webhook', event, attempts: 0, nextAttemptAt: nowSeconds(nowMs), createdAt: new Date(nowMs).toISOString() };
}

/** A webhook event its writer sends at once (attempt 1): the sweep's retry waits out the lease and the first backoff, as an email's does. */
export function eventNow(id: string, event: AccessEvent, nowMs: number, policy: DeliveryPolicy): Delivery {
  const wait = Math.max(SEND_LEASE_SECONDS, backoffSeconds(1, policy));
  return { id, channel: 'webhook', event, attempts: 1, nextAttemptAt: nowSeconds(nowMs) + wait, createdAt: new Date(nowMs).toISOString() };
}

/**
 * Whether an earlier event of the account has yet to reach the sandbox: a new one may not overtake
 * it, so it waits for the sweep, which sends them in order.
 */
export function eventsWaiting(account: Account): boolean {
  return pending(account).some((delivery) => delivery.channel === 'webhook');
}

export function pending(account: Account): Delivery[] {
  return (account.outbox ?? []).filter((delivery) => !delivery.failed);
}

/** The earliest time a pending delivery may be attempted, if any is pending. */
export function nextDeliveryAt(account: Account): number | undefined {
  const times = pending(account).map((delivery) => delivery.nextAttemptAt);
  return times.length ? Math.min(...times) : undefined;
}

/**
 * What may be attempted now: every due email, and of the webhook events only the oldest pending
 * one (one account's events arrive in order: a later event waits for the one before it).
 */
export function dueDeliveries(account: Account, nowMs: number): Delivery[] {
  const now = nowSeconds(nowMs);
  const open = pending(account);
  const firstEvent = open.find((delivery) => delivery.channel === 'webhook');
  return open.filter((delivery) => delivery.nextAttemptAt <= now && (delivery.channel === 'email' || delivery.id === firstEvent?.id));
}

export function withDeliveries(account: Account, deliveries: readonly Delivery[]): Account {
  return deliveries.length ? { ...account, outbox: [...(account.outbox ?? []), ...deliveries] } : account;
}

/**
 * Adds an email's intent in place of any still-pending one of the same kind to the same address:
 * a new link supersedes the one an outage held back, so the person gets one email, not one per try.
 */
export function superseding(account: Account, delivery: Delivery): Account {
  if (delivery.channel !== 'email') return withDeliveries(account, [delivery]);
  const kept = (account.outbox ?? []).filter(
    (other) => other.failed || other.channel !== 'email' || other.to !== delivery.to || other.email.type !== delivery.email.type,
  );
  return { ...account, outbox: [...kept, delivery] };
}

/** The sequence of a stored event (events written before sequences existed have none). */
const sequenceOf = (delivery: Delivery): number | undefined =>
  delivery.channel === 'webhook' && typeof delivery.event.data.sequence === 'number' ? delivery.event.data.sequence : undefined;

/**
 * An event older than one the sandbox already received must never reach it: a receiver that
 * applies events in arrival order would undo the newer one (a revocation undone by a late grant).
 */
export function superseded(account: Account, delivery: Delivery): boolean {
  const sequence = sequenceOf(delivery);
  return sequence !== undefined && account.eventsDeliveredThrough !== undefined && sequence <= account.eventsDeliveredThrough;
}

/** A delivery that went: cleared, and an event's sequence remembered as the newest the sandbox has. */
export function delivered(account: Account, id: string): Account {
  const delivery = (account.outbox ?? []).find((candidate) => candidate.id === id);
  const next = withoutDelivery(account, id);
  const sequence = delivery && sequenceOf(delivery);
  if (sequence === undefined || sequence <= (account.eventsDeliveredThrough ?? -1)) return next;
  return { ...next, eventsDeliveredThrough: sequence };
}

export function withoutDelivery(account: Account, id: string): Account {
  const outbox = (account.outbox ?? []).filter((delivery) => delivery.id !== id);
  const { outbox: _previous, ...rest } = account;
  return outbox.length ? { ...rest, outbox } : rest;
}

function replaced(account: Account, id: string, change: (delivery: Delivery) => Delivery): Account {
  return { ...account, outbox: (account.outbox ?? []).map((delivery) => (delivery.id === id ? change(delivery) : delivery)) };
}

/** A held email whose budgets had room: an ordinary intent from now on (a retry is not charged again). */
export function released(account: Account, id: string): Account {
  return replaced(account, id, (delivery) => {
    if (delivery.channel !== 'email') return delivery;
    const { charges: _charges, ...rest } = delivery;
    return rest;
  });
}

/** A held email whose budgets are still spent: tried again at `untilSeconds`, no attempt counted. */
export function postponed(account: Account, id: string, untilSeconds: number): Account {
  return replaced(account, id, (delivery) => ({ ...delivery, nextAttemptAt: untilSeconds }));
}

/** One more attempt begins now; the next waits for the backoff (the claim a sender writes before it sends). */
export function claimed(account: Account, id: string, nowMs: number, policy: DeliveryPolicy): Account {
  return replaced(account, id, (delivery) => ({
    ...delivery,
    attempts: delivery.attempts + 1,
    nextAttemptAt: nowSeconds(nowMs) + Math.max(SEND_LEASE_SECONDS, backoffSeconds(delivery.attempts + 1, policy)),
  }));
}

/** An attempt failed: after a permanent refusal or the last attempt, no more. Returns whether it is now failed for good. */
export function afterFailure(delivery: Delivery, error: string, permanent: boolean, policy: DeliveryPolicy): Delivery {
  const last = permanent || delivery.attempts >= policy.maxAttempts;
  return { ...delivery, lastError: error.slice(0, 300), ...(last ? { failed: true as const } : {}) };
}

export function failedAttempt(account: Account, id: string, error: string, permanent: boolean, policy: DeliveryPolicy): Account {
  return replaced(account, id, (delivery) => afterFailure(delivery, error, permanent, policy));
}

/** A delivery's id: random, unique, and the `webhook-id` of an event. */
export function newDeliveryId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/** The event a state change tells the sandbox of. */
export function accessEvent(type: AccessEventType, account: Account, by: string, nowMs: number): AccessEvent {
  const status = account.status === 'revoked' || account.status === 'expired' || account.status === 'suspended' ? account.status : 'active';
  return {
    type,
    timestamp: new Date(nowMs).toISOString(),
    data: {
      email: account.email,
      kind: account.kind,
      status,
      accessExpiresAt: account.accessExpiresAt ?? null,
      sponsor: account.kind === 'contractor' ? (account.sponsoredBy ?? account.request?.sponsorEmail ?? null) : null,
      by,
      agency: account.agency ?? null,
      sequence: account.version,
    },
  };
}
