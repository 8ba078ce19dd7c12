import type { Delivery } from '../core/outbox';
import type { Log, Metrics, WebhookSender } from '../core/ports';
import type { SendOutcome } from './report-send';

/**
 * Webhook events sent by the writer of the change, right after its write, so the sandbox hears of
 * an ended access in about a second rather than at the next sweep. The person's answer waits for
 * it, so the receiver gets a short wait; whatever does not go stays in the outbox, claimed, and
 * the sweep retries it once the lease has passed.
 */

/** How long a person's answer waits for the sandbox's receiver. */
export const EVENT_AT_ONCE_TIMEOUT_MS = 2_000;

/** Events this process sends at once at the same time: a slow receiver holds no more than these; the rest wait for the sweep. */
export const EVENTS_AT_ONCE = 8;

let inFlight = 0;

export type EventDelivery = Extract<Delivery, { channel: 'webhook' }>;

export interface EventDeps {
  readonly webhooks?: WebhookSender;
  readonly log: Log;
  readonly metrics: Metrics;
}

/** Whether a change written now may send its event itself: a receiver is configured and this process has room. */
export function mayEventGoAtOnce(deps: EventDeps): boolean {
  return deps.webhooks !== undefined && inFlight < EVENTS_AT_ONCE;
}

/** One attempt of an event (the sweep's, with the sender's own wait, or a writer's), counted and, when it fails, logged. */
export async function attemptEvent(
  delivery: EventDelivery,
  webhooks: WebhookSender,
  deps: Omit<EventDeps, 'webhooks'>,
  timeoutMs?: number,
): Promise<{ outcome: SendOutcome; error?: string }> {
  const outcome = await webhooks.send(delivery.id, delivery.event, timeoutMs ? { timeoutMs } : {});
  deps.metrics.count(outcome.outcome === 'delivered' ? 'WebhooksDelivered' : 'WebhooksFailed');
  if (outcome.outcome !== 'delivered') {
    deps.log.warn('webhook not delivered', {
      id: delivery.id,
      type: delivery.event.type,
      attempt: delivery.attempts,
      error: outcome.error,
    });
  }
  return outcome;
}

/** The writer's attempt: `transient` untried when the process is at its bound (the event stays claimed for the sweep). */
export async function sendEventAtOnce(delivery: EventDelivery, deps: EventDeps): Promise<{ outcome: SendOutcome; error?: string }> {
  if (!deps.webhooks || inFlight >= EVENTS_AT_ONCE) return { outcome: 'transient', error: 'not sent at once: left to the sweep' };
  inFlight += 1;
  try {
    return await attemptEvent(delivery, deps.webhooks, deps, EVENT_AT_ONCE_TIMEOUT_MS);
  } finally {
    inFlight -= 1;
  }
}
