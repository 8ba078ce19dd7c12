import { toJsonSchema } from '@valibot/to-json-schema';
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import { type Method, type Route, routes } from '../service/routes';
import { MACHINE_OPERATIONS } from './openapi-machine-operations';
import { type Answer, OPERATIONS } from './openapi-operations';
import { webhookEventSchema, webhooks } from './openapi-webhooks';
import { REQUEST_BODIES } from './request-bodies';

/**
 * The HTTP contract as OpenAPI 3.1 (`GET /openapi.json`), generated from the route table, the
 * request schemas the handlers validate with, the error codes and the webhook event schema; only
 * the words (summaries, which answers each operation gives) are written by hand, in the
 * openapi-*operations.ts files. It passes Redocly's recommended rules (a test lints it).
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
  // Asked with another method, so answered as that request's body or `Accept` asks, whatever the route's own answers are.
  405: { description: 'Method not allowed; see `Allow`.', errors: ['method_not_allowed'], media: 'both' },
  503: { description: 'A dependency is unavailable; see `Retry-After`. Nothing was changed.', errors: ['service_unavailable'] },
};

const errorSchema = (codes: readonly ErrorCode[]) => ({
  allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { error: { enum: [...codes] } } }],
});

/** Who asks: a person's browser or script reading (GET), a form or script posting (POST), or the sandbox. */
type Caller = 'reader' | 'poster' | 'sandbox';

const HEADER_OF: Readonly<Record<number, string>> = {
  302: 'Location',
  303: 'Location',
  405: 'Allow',
  429: 'Retry-After',
  503: 'Retry-After',
};

/** The media types of an answer: JSON to JSON, a page to a form post; a GET's failures are pages; the sandbox gets JSON only. */
function mediaOf(answer: Answer, caller: Caller, failure: boolean): readonly ('json' | 'html')[] {
  if (caller === 'sandbox') return ['json'];
  const media = answer.media ?? (caller === 'poster' ? 'both' : failure ? 'html' : 'json');
  return media === 'both' ? ['json', 'html'] : [media];
}

function content(media: readonly ('json' | 'html')[], json: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(media.includes('json') ? { 'application/json': { schema: json } } : {}),
    ...(media.includes('html') ? { 'text/html': { schema: { type: 'string' } } } : {}),
  };
}

function response(answer: Answer, status: number, caller: Caller): Record<string, unknown> {
  const header = HEADER_OF[status];
  const headers = header ? { headers: { [header]: { $ref: `#/components/headers/${header}` } } } : {};
  if (answer.redirect) return { description: answer.description, ...headers };
  const properties = { ...(answer.statuses ? { status: { type: 'string', enum: [...answer.statuses] } } : {}), ...answer.extra };
  const media = mediaOf(answer, caller, answer.errors !== undefined);
  return {
    description: answer.description,
    ...headers,
    content: content(media, answer.errors ? errorSchema(answer.errors) : { type: 'object', properties }),
    // A page carries its error's code only in words; the extension names it for readers of the contract.
    ...(answer.errors && !media.includes('json') ? { 'x-error-codes': [...answer.errors] } : {}),
  };
}

/** A bug (500), which carries no internals; also what completes the one route without a 2xx of its own (the sign-in callback). */
function fault(caller: Caller): Record<string, unknown> {
  const description = 'A fault on our side (500); the answer carries no internals.';
  return { description, content: content(mediaOf({ description }, caller, true), { $ref: '#/components/schemas/InternalError' }) };
}

/** Two answers for one status (an operation's own and the shared ones) become one, their codes merged. */
function merged(own: Answer | undefined, shared: Answer): Answer {
  if (!own) return shared;
  if (!own.errors || !shared.errors) return own;
  return { ...own, errors: [...new Set([...own.errors, ...shared.errors])] };
}

function operation(route: Route, method: Method): Record<string, unknown> {
  const spec = OPERATIONS[`${method} ${route.path}`] ?? MACHINE_OPERATIONS[`${method} ${route.path}`];
  if (!spec) throw new Error(`The OpenAPI document has no words for ${method} ${route.path}`);
  const answers: Record<number, Answer> = { ...spec.answers };
  for (const [status, shared] of Object.entries({ ...(method === 'POST' ? EVERY_POST : {}), ...EVERY })) {
    answers[Number(status)] = merged(answers[Number(status)], shared);
  }
  const body = method === 'POST' ? REQUEST_BODIES[route.path as BodyPath] : undefined;
  const schema = body ? { ...toJsonSchema(body, { target: 'draft-2020-12' }), required: [...(spec.required ?? [])] } : undefined;
  const { $schema: _dialect, ...bodySchema } = (schema ?? {}) as Record<string, unknown>;
  const caller: Caller = route.auth === 'iam' ? 'sandbox' : method === 'POST' ? 'poster' : 'reader';
  return {
    operationId: spec.id,
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
    security: route.auth === 'iam' ? [{ sigv4: [] }] : [],
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
    responses: {
      ...Object.fromEntries(Object.entries(answers).map(([status, answer]) => [status, response(answer, Number(status), caller)])),
      default: fault(caller),
    },
  };
}

function build(baseUrl: string | undefined): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly Route[]) {
    if (route.prefix) continue; // static files: not part of the contract
    paths[route.path] = Object.fromEntries(route.methods.map((method) => [method.toLowerCase(), operation(route, method)]));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sandbox Gatekeeper',
      version: '1',
      description:
        'Self sign-up for .gov/.mil addresses and sponsored access for contractors. JSON requests get JSON answers; form posts get HTML pages.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Without BASE_URL, the paths are relative to wherever this document was fetched from.
    servers: [{ url: baseUrl ?? '/' }],
    paths,
    webhooks: webhooks(),
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
        InternalError: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { const: 'internal_error' }, message: { type: 'string' } },
        },
        WebhookEvent: webhookEventSchema(),
      },
      headers: {
        Location: { description: 'Where to go next.', schema: { type: 'string' } },
        Allow: { description: 'The methods this address answers, e.g. `GET, HEAD`.', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
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

const documents = new Map<string, Record<string, unknown>>();

/** Built on first use, not at import: a cold start pays nothing for it. `baseUrl`: BASE_URL, when configured. */
export function openApiDocument(baseUrl?: string): Record<string, unknown> {
  const key = baseUrl ?? '';
  const document = documents.get(key) ?? build(baseUrl);
  documents.set(key, document);
  return document;
}
