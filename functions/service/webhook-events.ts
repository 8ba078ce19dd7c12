import * as v from 'valibot';

/**
 * The events the sandbox is told of (DESIGN §7), signed per the Standard Webhooks specification.
 * The schema documents the body in the OpenAPI document's `webhooks`.
 */
export const WEBHOOK_EVENT_TYPES = ['access.granted', 'access.renewed', 'access.revoked', 'access.expired'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_MEANINGS: Readonly<Record<WebhookEventType, string>> = {
  'access.granted': 'An account became active: a verified .gov/.mil address, an approved contractor, or a reinstatement.',
  'access.renewed': 'A contractor’s access was extended (by their sponsor or an operator).',
  'access.revoked': 'Access was ended (by a sponsor or an operator).',
  'access.expired': 'A contractor’s access period ran out.',
};

export const WebhookEventSchema = v.object({
  type: v.picklist(WEBHOOK_EVENT_TYPES),
  timestamp: v.pipe(v.string(), v.isoTimestamp()),
  data: v.object({
    email: v.pipe(v.string(), v.email()),
    kind: v.picklist(['agency', 'contractor']),
    status: v.picklist(['active', 'revoked', 'expired']),
    accessExpiresAt: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
    sponsor: v.nullable(v.pipe(v.string(), v.email())),
    by: v.string(),
  }),
});

export type WebhookEvent = v.InferOutput<typeof WebhookEventSchema>;
