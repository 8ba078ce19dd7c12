import { toJsonSchema } from '@valibot/to-json-schema';
import { ACCOUNT_STATUSES } from '../core/account';
import { ERROR_CODES, type ErrorCode } from '../core/errors';
import { ACCESS_EVENT_TYPES } from '../core/outbox';
import { type Method, type Route, routes } from '../service/routes';
import { WEBHOOK_EVENT_MEANINGS, WebhookEventSchema } from '../service/webhook-events';
import { REQUEST_BODIES } from './request-bodies';

/**
 * The HTTP contract as OpenAPI 3.1 (`GET /openapi.json`), generated from the route table, the
 * request schemas the handlers validate with, the error codes and the webhook event schema; only
 * the words (summaries, which answers each operation gives) are written here.
 */

type BodyPath = keyof typeof REQUEST_BODIES;

interface Answer {
  readonly description: string;
  /** The `status` values a JSON success answer carries. */
  readonly statuses?: readonly string[];
  /** Extra properties of a JSON success answer, beyond `status`. */
  readonly extra?: Record<string, unknown>;
  /** The error codes an error answer carries. */
  readonly errors?: readonly ErrorCode[];
  /** An HTML page (the emailed links' pages). */
  readonly html?: boolean;
}

interface Operation {
  readonly summary: string;
  readonly description?: string;
  /** Fields the operation needs (the schemas keep them optional so the answer can name what is missing). */
  readonly required?: readonly string[];
  /** A `token` query parameter (an emailed link). */
  readonly token?: boolean;
  readonly answers: Readonly<Record<number, Answer>>;
}

const PAGE: Answer = { description: 'The page (HTML).', html: true };
const LINK_REFUSED: Record<number, Answer> = {
  400: {
    description: 'The link is not valid (malformed, forged, superseded); an HTML page with a way to get a new one.',
    html: true,
    errors: ['invalid_token'],
  },
  410: { description: 'The link has expired; an HTML page with a way to get a new one.', html: true, errors: ['expired_token'] },
};
const TOKEN_REFUSED: Record<number, Answer> = {
  400: { description: 'Invalid token or field.', errors: ['invalid_token', 'invalid_request'] },
  410: { description: 'The token has expired and its work is not done.', errors: ['expired_token'] },
};

const OPERATIONS: Readonly<Record<string, Operation>> = {
  'GET /': { summary: 'Sign-up page (.gov/.mil)', answers: { 200: PAGE } },
  'GET /healthz': { summary: 'Liveness', answers: { 200: { description: 'Alive.', statuses: ['ok'] } } },
  'POST /signup': {
    summary: 'Self sign-up: sends a verification link',
    description: 'Answered identically for every eligible address, whatever its state (no enumeration).',
    required: ['email'],
    answers: {
      202: { description: 'If the address can have an account, a link was sent.', statuses: ['verification_sent'] },
      400: { description: 'Bad address or field.', errors: ['invalid_email', 'invalid_request'] },
      422: { description: 'The domain is not eligible (contractors: use /contractors).', errors: ['domain_not_eligible'] },
    },
  },
  'GET /verify': {
    summary: 'Confirmation page of an emailed link; never changes anything',
    token: true,
    answers: { 200: PAGE, ...LINK_REFUSED },
  },
  'POST /verify': {
    summary: 'Confirm (or cancel) the request behind a verification link',
    required: ['token'],
    answers: {
      200: { description: 'Confirmed, or cancelled.', statuses: ['active', 'awaiting_sponsor', 'cancelled'] },
      ...TOKEN_REFUSED,
      409: { description: 'The link’s work is already done.', errors: ['already_verified'] },
    },
  },
  'GET /contractors': { summary: 'Contractor request page', answers: { 200: PAGE } },
  'POST /sponsorships': {
    summary: 'A contractor asks an agency sponsor for access',
    required: ['email', 'name', 'company', 'sponsorEmail', 'justification'],
    answers: {
      202: { description: 'If the request can be taken, the contractor was sent a link.', statuses: ['verification_sent'] },
      400: { description: 'Bad address (`field` names which) or field.', errors: ['invalid_email', 'invalid_request'] },
      422: {
        description: 'The request cannot be made, in this order of checks.',
        errors: ['sponsor_is_requester', 'use_direct_signup', 'lookalike_domain', 'sponsor_not_eligible'],
      },
    },
  },
  'GET /sponsorships/review': {
    summary: 'The sponsor’s review page; never changes anything',
    token: true,
    answers: { 200: PAGE, ...LINK_REFUSED },
  },
  'POST /sponsorships/decision': {
    summary: 'The sponsor approves or denies',
    required: ['token', 'decision'],
    answers: {
      200: { description: 'Decided; the contractor is emailed, the sponsor gets a receipt.', statuses: ['approved', 'denied'] },
      ...TOKEN_REFUSED,
      409: { description: 'Already decided; `status` is the standing decision.', errors: ['already_decided'] },
    },
  },
  'GET /sponsors': { summary: 'A sponsor asks for a management link', answers: { 200: PAGE } },
  'POST /sponsors/link': {
    summary: 'Emails a sponsor their management link',
    description: 'Answered identically for every eligible address, whether it sponsors anyone or not.',
    required: ['email'],
    answers: {
      202: { description: 'If the address can sponsor, a link was sent.', statuses: ['link_sent'] },
      400: { description: 'Bad address.', errors: ['invalid_email', 'invalid_request'] },
      422: { description: 'The address cannot sponsor anyone.', errors: ['sponsor_not_eligible'] },
    },
  },
  'GET /sponsors/manage': {
    summary: 'The sponsor’s contractors; never changes anything',
    description: 'HTML, or JSON with `Accept: application/json`.',
    token: true,
    answers: {
      200: {
        description: 'The contractors who named this sponsor and got past pending.',
        extra: {
          sponsor: { type: 'string', format: 'email' },
          contractors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                requestId: { type: 'string' },
                email: { type: 'string', format: 'email' },
                name: { type: ['string', 'null'] },
                company: { type: 'string' },
                // Every status but pending: a request reaches its sponsor once its address is confirmed.
                status: { type: 'string', enum: ACCOUNT_STATUSES.filter((status) => status !== 'pending') },
                approvedAt: { type: ['string', 'null'], format: 'date-time' },
                accessExpiresAt: { type: ['string', 'null'], format: 'date-time' },
              },
            },
          },
        },
      },
      ...LINK_REFUSED,
    },
  },
  'POST /sponsors/manage': {
    summary: 'The sponsor renews or ends one contractor’s access',
    required: ['token', 'requestId', 'action'],
    answers: {
      200: {
        description: 'Renewed (with the new end) or ended.',
        statuses: ['active', 'revoked'],
        extra: { accessExpiresAt: { type: 'string', format: 'date-time' } },
      },
      ...TOKEN_REFUSED,
      404: { description: 'Not this sponsor’s request: the same answer as one that does not exist.', errors: ['not_found'] },
      409: { description: 'The standing `status` does not allow the action.', errors: ['invalid_state'] },
    },
  },
  'GET /openapi.json': { summary: 'This document', answers: { 200: { description: 'OpenAPI 3.1 (JSON).' } } },
};

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
  if (answer.html) return { description: answer.description, content: { 'text/html': { schema: { type: 'string' } } } };
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
    ...(spec.token ? { parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }] } : {}),
    ...(schema
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: bodySchema }, 'application/x-www-form-urlencoded': { schema: bodySchema } },
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
            status: { type: 'string', description: 'The standing status (409 answers).' },
          },
        },
        WebhookEvent: event,
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
