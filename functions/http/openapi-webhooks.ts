import { toJsonSchema } from '@valibot/to-json-schema';
import { ACCESS_EVENT_TYPES } from '../core/outbox';
import { WEBHOOK_EVENT_MEANINGS, WebhookEventSchema } from '../service/webhook-events';

/** The OpenAPI `webhooks`: the events this service POSTs to the sandbox, and the body they carry. */

/** The Standard Webhooks headers: the receiver checks the signature with them, so they are its security. */
const SIGNATURE_HEADERS = [
  ['webhook-id', 'The delivery’s id: the same on every retry of one event, so a receiver can skip one it has processed.', {}],
  ['webhook-timestamp', 'When it was signed, in seconds since 1970 (UTC): refuse one far from now.', { pattern: '^[0-9]+$' }],
  [
    'webhook-signature',
    '`v1,` then the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` under the shared `whsec_` secret.',
    {},
  ],
] as const;

/** `access.granted` → `accessGranted`. */
const operationId = (type: string) => type.replace(/\.(\w)/g, (_dot, letter: string) => letter.toUpperCase());

export function webhooks(): Record<string, unknown> {
  return Object.fromEntries(
    ACCESS_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: operationId(type),
          summary: WEBHOOK_EVENT_MEANINGS[type],
          description: 'Signed per the Standard Webhooks specification; sent at least once (retries keep the `webhook-id`).',
          // No credential the receiver presents: the signature headers prove the sender.
          security: [],
          parameters: SIGNATURE_HEADERS.map(([name, description, schema]) => ({
            name,
            in: 'header',
            required: true,
            description,
            schema: { type: 'string', ...schema },
          })),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { allOf: [{ $ref: '#/components/schemas/WebhookEvent' }, { properties: { type: { const: type } } }] },
              },
            },
          },
          responses: { '2XX': { description: 'Acknowledged; anything else is retried with backoff.' } },
        },
      },
    ]),
  );
}

export function webhookEventSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...event } = toJsonSchema(WebhookEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return event;
}
