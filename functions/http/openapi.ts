import { toJsonSchema } from '@valibot/to-json-schema';
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import { ACCESS_EVENT_TYPES } from '../core/outbox';
import { type Method, type Route, routes } from '../service/routes';
import { WEBHOOK_EVENT_MEANINGS, WebhookEventSchema } from '../service/webhook-events';
import { type Answer, OPERATIONS } from './openapi-operations';
import { REQUEST_BODIES } from './request-bodies';

/**
 * The HTTP contract as OpenAPI 3.1 (`GET /openapi.json`), generated from the route table, the
 * request schemas the handlers validate with, the error codes and the webhook event schema; only
 * the words (summaries, which answers each operation gives) are written here.
 */

type BodyPath = keyof typeof REQUEST_BODIES;

/** What any POST may also answer: the cross-site and edge checks, the body's shape, limits, outages. */
const EVERY_POST: Record<number, Answer> = {
  400: { description: 'Malformed body or field.', errors: ['invalid_request'] },
  403: { description: 'Refused origin, or a request that bypassed the edge.', errors: ['forbidden_origin', 'edge_required'] },
  413: { description: 'Body over 16 KiB.', errors: ['payload_too_large'] },
  415: { description: 'Unsupported content type or charset.', errors: ['unsupported_media_type'] },
  429: { description: 'Too many requests; see `Retry-After`.', errors: ['rate_limited'] },
};
/** What any operation may answer. */
const EVERY: Record<number, Answer> = {
  405: { description: 'Method not allowed; see `Allow`.', errors: ['method_not_allowed'] },
  503: { description: 'A dependency is unavailable; see `Retry-After`. Nothing was changed.', errors: ['service_unavailable'] },
};

const errorSchema = (codes: readonly ErrorCode[]) => ({
  allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { error: { enum: [...codes] } } }],
});

function response(answer: Answer): Record<string, unknown> {
  if (answer.html) {
    // A page carries its error's code only in words; the extension names it for readers of the contract.
    return {
      description: answer.description,
      content: { 'text/html': { schema: { type: 'string' } } },
      ...(answer.errors ? { 'x-error-codes': [...answer.errors] } : {}),
    };
  }
  if (answer.errors) return { description: answer.description, content: { 'application/json': { schema: errorSchema(answer.errors) } } };
  const properties = { ...(answer.statuses ? { status: { type: 'string', enum: [...answer.statuses] } } : {}), ...answer.extra };
  return { description: answer.description, content: { 'application/json': { schema: { type: 'object', properties } } } };
}

/** Two answers for one status (an operation's own and the shared ones) become one, their codes merged. */
function merged(own: Answer | undefined, shared: Answer): Answer {
  if (!own) return shared;
  if (!own.errors || !shared.errors) return own;
  return { ...own, errors: [...new Set([...own.errors, ...shared.errors])] };
}

function operation(route: Route, method: Method): Record<string, unknown> {
  const spec = OPERATIONS[`${method} ${route.path}`];
  if (!spec) throw new Error(`The OpenAPI document has no words for ${method} ${route.path}`);
  const answers: Record<number, Answer> = { ...spec.answers };
  for (const [status, shared] of Object.entries({ ...(method === 'POST' ? EVERY_POST : {}), ...EVERY })) {
    answers[Number(status)] = merged(answers[Number(status)], shared);
  }
  const body = method === 'POST' ? REQUEST_BODIES[route.path as BodyPath] : undefined;
  const schema = body ? { ...toJsonSchema(body, { target: 'draft-2020-12' }), required: [...(spec.required ?? [])] } : undefined;
  const { $schema: _dialect, ...bodySchema } = (schema ?? {}) as Record<string, unknown>;
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.token || spec.query
      ? {
          parameters: [
            ...(spec.token ? [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }] : []),
            ...Object.entries(spec.query ?? {}).map(([name, parameter]) => ({ name, in: 'query', required: false, ...parameter })),
          ],
        }
      : {}),
    ...(route.auth === 'iam' ? { security: [{ sigv4: [] }] } : {}),
    ...(schema
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: bodySchema },
              // The sandbox's routes take JSON only.
              ...(route.auth === 'iam' ? {} : { 'application/x-www-form-urlencoded': { schema: bodySchema } }),
            },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(answers).map(([status, answer]) => [status, response(answer)])),
  };
}

function build(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly Route[]) {
    if (route.prefix) continue; // static files: not part of the contract
    paths[route.path] = Object.fromEntries(route.methods.map((method) => [method.toLowerCase(), operation(route, method)]));
  }
  const { $schema: _dialect, ...event } = toJsonSchema(WebhookEventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sandbox Gatekeeper',
      version: '1',
      description:
        'Self sign-up for .gov/.mil addresses and sponsored access for contractors. JSON requests get JSON answers; form posts get HTML pages.',
    },
    paths,
    webhooks: Object.fromEntries(
      ACCESS_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            summary: WEBHOOK_EVENT_MEANINGS[type],
            description:
              'Signed per the Standard Webhooks specification: headers `webhook-id` (stable across retries), `webhook-timestamp`, `webhook-signature`.',
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
    ),
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string', enum: [...ERROR_CODES] },
            message: { type: 'string', description: 'A sentence a person can act on.' },
            field: { type: 'string', description: 'The field at fault, when one is.' },
            errors: {
              type: 'array',
              description: 'Every field at fault, when more than one is (the first is the answer’s own).',
              items: {
                type: 'object',
                required: ['error', 'field', 'message'],
                properties: { error: { type: 'string', enum: [...ERROR_CODES] }, field: { type: 'string' }, message: { type: 'string' } },
              },
            },
            status: { type: 'string', description: 'The standing status (409 answers).' },
          },
        },
        WebhookEvent: event,
      },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description:
            'AWS Signature Version 4 for `execute-api` (the sandbox role’s credentials in AWS; the key pair `npm start` prints locally).',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}

let document: Record<string, unknown> | undefined;

/** Built on first use, not at import: a cold start pays nothing for it. */
export function openApiDocument(): Record<string, unknown> {
  document ??= build();
  return document;
}
