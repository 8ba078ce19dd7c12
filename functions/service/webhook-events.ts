import * as v from 'valibot';
import { ACCOUNT_KINDS } from '../core/account';
import { ACCESS_EVENT_STATUSES, ACCESS_EVENT_TYPES, type AccessEvent, type AccessEventType } from '../core/outbox';

/**
 * The events the sandbox is told of (docs/design.md §7), signed per the Standard Webhooks specification.
 * The schema documents the body in the OpenAPI document's `webhooks`.
 */
export const WEBHOOK_EVENT_MEANINGS: Readonly<Record<AccessEventType, string>> = {
  'access.granted': 'An account became active: a verified .gov/.mil address, an approved contractor, or a reinstatement.',
  'access.renewed': 'A contractor’s access was extended (by their sponsor or an operator).',
  'access.revoked': 'Access was ended (by a sponsor or an operator).',
  'access.expired': 'A contractor’s access period ran out.',
  'access.suspended': 'The service suspended an active account: its domain left the official .gov registry. An operator may reinstate it.',
};

export const WebhookEventSchema = v.object({
  type: v.picklist(ACCESS_EVENT_TYPES),
  timestamp: v.pipe(v.string(), v.isoTimestamp()),
  data: v.object({
    email: v.pipe(v.string(), v.email()),
    kind: v.picklist(ACCOUNT_KINDS),
    status: v.picklist(ACCESS_EVENT_STATUSES),
    accessExpiresAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
    sponsor: v.nullable(v.pipe(v.string(), v.email())),
    by: v.string(),
    agency: v.nullable(
      v.object({
        organization: v.string(),
        suborganization: v.exactOptional(v.string()),
        domainType: v.string(),
      }),
    ),
    sequence: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description(
        'Larger for every later change of the address: apply an event only when its sequence is larger than the last one applied for that address.',
      ),
    ),
  }),
});

export type WebhookEvent = v.InferOutput<typeof WebhookEventSchema>;

/** The compiler keeps the documented body and the event the outbox sends the same shape (no code at run time). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type DocumentedAsSent = Holds<Same<WebhookEvent, AccessEvent>>;
