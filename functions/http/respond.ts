import { type AppError, type ErrorCode, MethodNotAllowedError, RateLimitedError, ServiceUnavailableError } from '../core/errors';
import { errorPage } from '../views/error-page';
import type { Format, HttpResult } from './types';

/** The one place where errors become HTTP statuses: a code without a status does not compile. */
const STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  invalid_email: 400,
  invalid_token: 400,
  invalid_code: 400,
  sign_in_required: 401,
  sign_in_failed: 400,
  not_the_sponsor: 403,
  forbidden_origin: 403,
  edge_required: 403,
  machine_only: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_verified: 409,
  already_decided: 409,
  invalid_state: 409,
  expired_token: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  domain_not_registered: 422,
  domain_not_eligible: 422,
  use_direct_signup: 422,
  lookalike_domain: 422,
  sponsor_not_eligible: 422,
  sponsor_is_requester: 422,
  rate_limited: 429,
  service_unavailable: 503,
};

export function statusOf(error: AppError): number {
  return STATUS[error.code];
}

const COMMON = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const PAGE_HEADERS = {
  ...COMMON,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { ...COMMON, 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, page: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...PAGE_HEADERS, ...headers }, body: page };
}

/** 303 See Other: after a form post, the browser GETs `location`. */
export function redirect(location: string): HttpResult {
  return { statusCode: 303, headers: { ...COMMON, Location: location }, body: '' };
}

export function empty(statusCode: number, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...COMMON, ...headers }, body: '' };
}

/** Headers an error carries besides its body: `Retry-After` for 429, `Allow` for 405. */
export function errorHeaders(error: AppError): Record<string, string> {
  if (error instanceof RateLimitedError || error instanceof ServiceUnavailableError)
    return { 'Retry-After': String(error.retryAfterSeconds) };
  if (error instanceof MethodNotAllowedError) return { Allow: error.allow.join(', ') };
  return {};
}

export function errorResult(error: AppError, format: Format): HttpResult {
  const status = statusOf(error);
  if (format === 'html') return html(status, errorPage(error), errorHeaders(error));
  return json(
    status,
    {
      error: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...error.details,
      // Every field refused, when more than one is: a form's script shows them all at once.
      ...(error.others.length
        ? { errors: [error, ...error.others].map(({ code, field, message }) => ({ error: code, field, message })) }
        : {}),
    },
    errorHeaders(error),
  );
}

export const internalErrorMessage = 'Something went wrong on our side. Please try again in a few minutes.';
