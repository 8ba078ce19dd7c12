/**
 * Typed errors of the domain and of the request contract. Each carries a stable `code` and a
 * sentence a person can act on; the HTTP status lives in one table (functions/http/respond.ts).
 */

/** Every code an answer can carry. The status table and the error pages are typed over it. */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_email',
  'invalid_token',
  'invalid_code',
  'sign_in_required',
  'sign_in_failed',
  'not_the_sponsor',
  'forbidden_origin',
  'edge_required',
  'machine_only',
  'not_found',
  'method_not_allowed',
  'already_verified',
  'already_decided',
  'invalid_state',
  'expired_token',
  'payload_too_large',
  'unsupported_media_type',
  'domain_not_registered',
  'domain_not_eligible',
  'use_direct_signup',
  'lookalike_domain',
  'sponsor_not_eligible',
  'sponsor_is_requester',
  'rate_limited',
  'service_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  readonly field?: string;
  /** Further facts the answer carries besides code, message and field. */
  readonly details?: Readonly<Record<string, string>>;

  /** Other fields refused along with this one: a form reports every invalid field at once. */
  others: readonly AppError[] = [];

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    if (field !== undefined) this.field = field;
  }
}

/** Refusals found together, as one error: the first decides the answer's code; the rest ride along. */
export function refusedTogether(first: AppError, ...rest: readonly AppError[]): AppError {
  first.others = [...first.others, ...rest.flatMap((error) => [error, ...error.others])];
  return first;
}

export class InvalidRequestError extends AppError {
  readonly code = 'invalid_request';
}

export class InvalidEmailError extends AppError {
  readonly code = 'invalid_email';
  constructor(message: string, field = 'email') {
    super(message, field);
  }
}

/** A `.gov` address whose domain the official registry does not list: ending in `.gov` is only a spelling. */
export class DomainNotRegisteredError extends AppError {
  readonly code = 'domain_not_registered';
}

export class DomainNotEligibleError extends AppError {
  readonly code = 'domain_not_eligible';
}

/** A contractor's own address is eligible: they can sign up directly. */
export class UseDirectSignupError extends AppError {
  readonly code = 'use_direct_signup';
}

/**
 * An address whose domain imitates a government one: a contractor's wearing a `gov` or `mil` label
 * anywhere but last, or any `.gov`/`.mil` domain with an internationalised (`xn--`) label.
 */
export class LookalikeDomainError extends AppError {
  readonly code = 'lookalike_domain';
}

export class SponsorNotEligibleError extends AppError {
  readonly code = 'sponsor_not_eligible';
}

export class SponsorIsRequesterError extends AppError {
  readonly code = 'sponsor_is_requester';
}

export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
}

export class ForbiddenOriginError extends AppError {
  readonly code = 'forbidden_origin';
}

/** A request that reached the API without passing the edge (CloudFront and its WAF) when one is deployed. */
export class EdgeRequiredError extends AppError {
  readonly code = 'edge_required';
}

/** A machine route (`/v1/…`) reached without the caller identity API Gateway's IAM authorization gives it. */
export class MachineOnlyError extends AppError {
  readonly code = 'machine_only';
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
}

export class MethodNotAllowedError extends AppError {
  readonly code = 'method_not_allowed';
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Where a person goes from a link that does no work: the form their kind of account starts from
 * (with their address kept, known only from a genuine link), either form (a link that tells
 * nothing), or a sponsor's dashboard.
 */
export type LinkNextStep = { readonly to: 'sign-up' | 'contractor'; readonly email?: string } | { readonly to: 'either' | 'dashboard' };

/** Malformed, forged, superseded, of the wrong purpose or unknown: one answer for all. */
export class InvalidTokenError extends AppError {
  readonly code = 'invalid_token';
  constructor(
    message: string,
    /** For the page only, never the JSON answer. */
    readonly next?: LinkNextStep,
  ) {
    super(message);
  }
}

/** A sign-in code that is wrong, expired, used or was never sent: one answer for all. */
export class InvalidCodeError extends AppError {
  readonly code = 'invalid_code';
}

/** A decision needs a sponsor session: a link alone decides nothing. */
export class SignInRequiredError extends AppError {
  readonly code = 'sign_in_required';
}

/** The identity provider's answer cannot be used (stale, replayed, refused): sign in again. */
export class SignInFailedError extends AppError {
  readonly code = 'sign_in_failed';
}

/** Signed in, but as someone other than the request's sponsor: nothing changes, and the sponsor is told. */
export class NotTheSponsorError extends AppError {
  readonly code = 'not_the_sponsor';
}

/** Genuine, but its time ran out before its work was done. */
export class ExpiredTokenError extends AppError {
  readonly code = 'expired_token';
  constructor(
    message: string,
    /** For the page only, never the JSON answer. */
    readonly next?: LinkNextStep,
  ) {
    super(message);
  }
}

/** Genuine, and its work is already done: nothing more happens. */
export class AlreadyVerifiedError extends AppError {
  readonly code = 'already_verified';
}

/** The sponsor's decision is already made; `status` is the one that stands. */
export class AlreadyDecidedError extends AppError {
  readonly code = 'already_decided';
  override readonly details: Readonly<Record<string, string>>;
  constructor(message: string, status: string) {
    super(message);
    this.details = { status };
  }
}

/** An action that the account's standing status does not allow (e.g. ending access that already ended). */
export class InvalidStateError extends AppError {
  readonly code = 'invalid_state';
  override readonly details: Readonly<Record<string, string>>;
  constructor(message: string, status: string) {
    super(message);
    this.details = { status };
  }
}

/**
 * A dependency (the database) is unreachable, failing or throttling: nothing was decided, and
 * the same request can be sent again shortly. Never caused by what a client sent.
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    /** What failed, for the log only (redacted); never in the answer. */
    readonly failure: string,
  ) {
    super(message);
  }
}
