import { ACCOUNT_STATUSES } from '../core/account';
import type { ErrorCode } from '../core/errors';

/** The words of the HTTP contract: each operation's summary and the answers it gives (openapi.ts builds the rest). */

export interface Answer {
  readonly description: string;
  /** The `status` values a JSON success answer carries. */
  readonly statuses?: readonly string[];
  /** Extra properties of a JSON success answer, beyond `status`. */
  readonly extra?: Record<string, unknown>;
  /** The error codes an error answer carries. */
  readonly errors?: readonly ErrorCode[];
  /**
   * The media types it comes in, when not the usual: a POST answers JSON to JSON and an HTML page
   * to a form post; a GET's own answer is JSON and its errors pages; the sandbox's routes JSON only.
   */
  readonly media?: 'html' | 'json' | 'both';
  /** A redirect: no body, where to in `Location`. */
  readonly redirect?: boolean;
}

export interface Operation {
  /** Its `operationId`: what a generated client calls it. */
  readonly id: string;
  readonly summary: string;
  readonly description?: string;
  /** Fields the operation needs (the schemas keep them optional so the answer can name what is missing). */
  readonly required?: readonly string[];
  /** A `token` query parameter (an emailed link). */
  readonly token?: boolean;
  /** Query parameters besides `token`, none required. */
  readonly query?: Readonly<Record<string, { readonly description: string; readonly schema: Record<string, unknown> }>>;
  readonly answers: Readonly<Record<number, Answer>>;
}

const PAGE: Answer = { description: 'The page (HTML).', media: 'html' };
const LINK_REFUSED: Record<number, Answer> = {
  400: {
    description: 'The link is not valid (malformed, forged, superseded); an HTML page with a way to get a new one.',
    media: 'html',
    errors: ['invalid_token'],
  },
  410: { description: 'The link has expired; an HTML page with a way to get a new one.', media: 'html', errors: ['expired_token'] },
};
const TOKEN_REFUSED: Record<number, Answer> = {
  400: { description: 'Invalid token or field.', errors: ['invalid_token', 'invalid_request'] },
  410: { description: 'The token has expired and its work is not done.', errors: ['expired_token'] },
};

/** Who an account's address belongs to, as the official .gov registry names it; null on records older than it. */
export const AGENCY = {
  type: ['object', 'null'],
  required: ['organization', 'domainType'],
  properties: {
    organization: { type: 'string', examples: ['General Services Administration'] },
    suborganization: { type: 'string', examples: ['Office of GSA IT'] },
    domainType: { type: 'string', examples: ['Federal - Executive'] },
  },
};

const ECHO = { email: { type: 'string', format: 'email' } }; // the address written to: its sender typed it, so nothing new

/** What people's browsers, forms and scripts call; the sandbox's routes are in openapi-machine-operations.ts. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'GET /': { id: 'signUpPage', summary: 'Sign-up page (.gov/.mil)', answers: { 200: PAGE } },
  'GET /healthz': {
    id: 'health',
    summary: 'Liveness; with `?deep=1`, readiness',
    query: { deep: { description: '`1`: also read DynamoDB, within 1 s (503 if it cannot).', schema: { type: 'string', enum: ['1'] } } },
    answers: { 200: { description: 'Alive (deep: and DynamoDB answered).', statuses: ['ok'], extra: { dynamodb: { const: 'ok' } } } },
  },
  'POST /signup': {
    id: 'signUp',
    summary: 'Self sign-up: sends a verification link',
    description: 'Answered identically for every eligible address, whatever its state (no enumeration).',
    required: ['email'],
    answers: {
      202: { description: 'If the address can have an account, a link was sent to `email`.', statuses: ['verification_sent'], extra: ECHO },
      303: { description: 'A form post from an allowed partner site, with `SIGNUP_SUCCESS_URL` set: to that page.', redirect: true },
      400: { description: 'Bad address or field.', errors: ['invalid_email', 'invalid_request'] },
      422: {
        description: 'A look-alike (xn--), a .gov domain the registry does not list, or not eligible (contractors: /contractors).',
        errors: ['lookalike_domain', 'domain_not_registered', 'domain_not_eligible'],
      },
    },
  },
  'GET /keep': {
    id: 'keepPage',
    summary: 'A dormancy warning’s page: whose account, when it closes, and the button that keeps it; never changes anything',
    token: true,
    answers: {
      200: PAGE,
      ...LINK_REFUSED,
      409: { description: 'The account is no longer open.', media: 'html', errors: ['invalid_state'] },
    },
  },
  'POST /keep': {
    id: 'keepAccount',
    summary: 'Keep the account behind a dormancy warning: its clock starts again',
    required: ['token'],
    answers: {
      200: {
        description: 'Kept, until the new date.',
        statuses: ['active'],
        extra: { dormantAt: { type: 'string', format: 'date-time' } },
      },
      ...TOKEN_REFUSED,
      409: { description: 'The account is no longer open; `status` says what it is.', errors: ['invalid_state'] },
    },
  },
  'GET /verify': {
    id: 'verifyPage',
    summary: 'Confirmation page of an emailed link; never changes anything',
    token: true,
    answers: { 200: PAGE, ...LINK_REFUSED },
  },
  'POST /verify': {
    id: 'verify',
    summary: 'Confirm (or cancel) the request behind a verification link',
    required: ['token'],
    answers: {
      200: { description: 'Confirmed, or cancelled.', statuses: ['active', 'awaiting_sponsor', 'cancelled'] },
      ...TOKEN_REFUSED,
      409: { description: 'The link’s work is already done.', errors: ['already_verified'] },
    },
  },
  'GET /contractors': { id: 'contractorPage', summary: 'Contractor request page', answers: { 200: PAGE } },
  'POST /sponsorships': {
    id: 'requestSponsorship',
    summary: 'A contractor asks an agency sponsor for access',
    required: ['email', 'name', 'company', 'sponsorEmail', 'justification'],
    answers: {
      202: { description: 'If the request can be taken, a link was sent to `email`.', statuses: ['verification_sent'], extra: ECHO },
      400: { description: 'Bad address (`field` names which) or field.', errors: ['invalid_email', 'invalid_request'] },
      422: {
        description: 'The request cannot be made, in this order of checks.',
        errors: ['sponsor_is_requester', 'use_direct_signup', 'lookalike_domain', 'sponsor_not_eligible'],
      },
    },
  },
  'GET /sponsorships/review': {
    id: 'reviewPage',
    summary: 'The sponsor’s review page; never changes anything',
    token: true,
    answers: { 200: PAGE, ...LINK_REFUSED },
  },
  'POST /sponsorships/decision': {
    id: 'decide',
    summary: 'The signed-in sponsor approves or denies',
    description:
      'Needs the sponsor session cookie and its `csrf` token: a link alone decides nothing. The request is named by the review link’s `token`, or by its `requestId` among the session’s sponsor’s requests (the dashboard).',
    required: ['decision', 'csrf'],
    answers: {
      200: {
        description:
          'Decided; the contractor is emailed, the sponsor gets a receipt. An approval says until when the access lasts. A form post is answered by 303 to its outcome’s page instead.',
        statuses: ['approved', 'denied'],
        extra: { accessExpiresAt: { type: 'string', format: 'date-time' } },
      },
      ...TOKEN_REFUSED,
      401: { description: 'No sponsor session (or not this session’s form).', errors: ['sign_in_required'] },
      403: { description: 'Signed in as someone else: nothing changes, and the sponsor is told.', errors: ['not_the_sponsor'] },
      409: { description: 'Already decided; `status` is the standing decision.', errors: ['already_decided'] },
    },
  },
  'GET /sponsors': {
    id: 'sponsorDashboard',
    summary: 'The signed-in sponsor’s dashboard; never changes anything',
    description:
      'HTML (signed out: a redirect to the sign-in page), or JSON with `Accept: application/json` (signed out: 401), with the `csrf` token the session’s POSTs carry.',
    answers: {
      200: {
        description: 'The contractors who named this sponsor and got past pending (JSON), or the dashboard page.',
        media: 'both',
        extra: {
          sponsor: { type: 'string', format: 'email' },
          csrf: { type: 'string' },
          contractors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                requestId: { type: 'string' },
                email: { type: 'string', format: 'email' },
                name: { type: ['string', 'null'] },
                company: { type: 'string' },
                agency: { ...AGENCY, description: 'The agency the request was made under: the sponsor’s.' },
                // Every status but pending: a request reaches its sponsor once its address is confirmed.
                status: { type: 'string', enum: ACCOUNT_STATUSES.filter((status) => status !== 'pending') },
                approvedAt: { type: ['string', 'null'], format: 'date-time' },
                accessExpiresAt: { type: ['string', 'null'], format: 'date-time' },
              },
            },
          },
        },
      },
      303: { description: 'Signed out: to the sign-in page.', redirect: true },
      401: { description: 'Signed out (JSON).', errors: ['sign_in_required'], media: 'json' },
    },
  },
  'POST /sponsors/manage': {
    id: 'manageAccess',
    summary: 'The signed-in sponsor renews or ends one contractor’s access',
    description:
      'Renew sets the end to the later of the current end and one period from now; with `seen` (the end the page showed) a renewal already made changes nothing. A form post of End without `confirmed=yes` answers a confirmation page.',
    required: ['requestId', 'action', 'csrf'],
    answers: {
      200: {
        description: 'Renewed (with the new end) or ended (with when).',
        statuses: ['active', 'revoked'],
        extra: {
          accessExpiresAt: { type: 'string', format: 'date-time' },
          endedAt: { type: 'string', format: 'date-time' },
          unchanged: {
            type: 'boolean',
            description: 'A Renew that changed nothing: the access already lasts a full period (or the page’s renewal was made).',
          },
        },
      },
      401: { description: 'No sponsor session (or not this session’s form).', errors: ['sign_in_required'] },
      404: { description: 'Not this sponsor’s request: the same answer as one that does not exist.', errors: ['not_found'] },
      409: { description: 'The standing `status` does not allow the action.', errors: ['invalid_state'] },
    },
  },
  'GET /sign-in': {
    id: 'signInPage',
    summary: 'Starts a sponsor’s sign-in',
    description:
      'With an OpenID provider configured: a redirect to it (PKCE, `state`, `nonce`). Otherwise a page asking for the address to email a code to. `next`: a path on this service to return to.',
    answers: { 200: PAGE, 302: { description: 'To the OpenID provider.', redirect: true } },
  },
  'GET /auth/callback': {
    id: 'signInCallback',
    summary: 'The OpenID provider’s redirect back',
    answers: {
      303: { description: 'Signed in: the session cookie is set; to `next`.', redirect: true },
      400: { description: 'A stale, replayed or refused sign-in: a page to start again.', media: 'html', errors: ['sign_in_failed'] },
      404: { description: 'No OpenID provider is configured.', errors: ['not_found'] },
    },
  },
  'POST /sign-in/code': {
    id: 'sendSignInCode',
    summary: 'Emails a one-time sign-in code',
    description: 'Answered identically for every eligible address, whether it sponsors anyone or not (no enumeration).',
    required: ['email'],
    answers: {
      202: { description: 'If the address can sponsor, a code was sent (ten minutes, one use).', statuses: ['code_sent'] },
      400: { description: 'Bad address.', errors: ['invalid_email', 'invalid_request'] },
      422: {
        description: 'A look-alike (xn--), or an address that cannot sponsor anyone.',
        errors: ['lookalike_domain', 'sponsor_not_eligible'],
      },
    },
  },
  'POST /sign-in/verify': {
    id: 'signInWithCode',
    summary: 'Signs in with the emailed code',
    required: ['email', 'code'],
    answers: {
      200: {
        description: 'Signed in (JSON): the session cookie is set.',
        statuses: ['signed_in'],
        extra: { next: { type: 'string', description: 'Where a form post would have gone.' } },
        media: 'json',
      },
      303: { description: 'Signed in (a form post): the session cookie is set; to `next`.', redirect: true },
      400: {
        description: 'Wrong, expired or used code: one answer for all.',
        errors: ['invalid_code', 'invalid_email', 'invalid_request'],
      },
      429: { description: 'Five wrong codes: the mailbox’s codes are locked for an hour.', errors: ['rate_limited'] },
    },
  },
  'POST /sign-out': {
    id: 'signOut',
    summary: 'Ends the sponsor session',
    answers: {
      200: { description: 'Signed out (JSON); the session cookie is cleared.', statuses: ['signed_out'], media: 'json' },
      303: { description: 'Signed out (a form post): to the sign-in page.', redirect: true },
    },
  },
  'GET /openapi.json': { id: 'openApi', summary: 'This document', answers: { 200: { description: 'OpenAPI 3.1 (JSON).' } } },
};
