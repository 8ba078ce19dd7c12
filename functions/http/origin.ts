import { ForbiddenOriginError } from '../core/errors';
import { header } from './body';
import type { HttpEvent } from './types';

export interface OriginPolicy {
  /** The service's own origin(s), from BASE_URL or the API's domain. */
  readonly own: readonly string[];
  /** ALLOWED_ORIGINS: other sites whose forms and `fetch` may post here. */
  readonly allowed: readonly string[];
}

/** The own origin; on a laptop `localhost` and `127.0.0.1` are the same server. */
export function ownOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const origins = [url.origin];
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : undefined;
  if (twin) origins.push(`${url.protocol}//${twin}${url.port ? `:${url.port}` : ''}`);
  return origins;
}

export type OriginVerdict = { readonly kind: 'same' | 'none' } | { readonly kind: 'cross'; readonly origin: string };

/**
 * Cross-site request check for state-changing requests (docs/design.md §2): own origin, an allowed
 * origin, `Origin: null` sent by our own no-referrer pages (with `Sec-Fetch-Site: same-origin`),
 * or no `Origin` at all (not a browser) pass; anything else is refused.
 */
export function checkOrigin(event: HttpEvent, policy: OriginPolicy): OriginVerdict {
  const origin = header(event, 'origin');
  if (origin === undefined) return { kind: 'none' };
  if (origin === 'null') {
    if (header(event, 'sec-fetch-site') === 'same-origin') return { kind: 'same' };
  } else if (policy.own.includes(origin)) {
    return { kind: 'same' };
  } else if (policy.allowed.includes(origin)) {
    return { kind: 'cross', origin };
  }
  throw new ForbiddenOriginError('Requests from this site are not accepted. Use the form on the sandbox sign-up page.');
}

export function corsHeaders(verdict: OriginVerdict): Record<string, string> {
  return verdict.kind === 'cross' ? { 'Access-Control-Allow-Origin': verdict.origin, Vary: 'Origin' } : {};
}

export function preflightHeaders(verdict: OriginVerdict, methods: readonly string[]): Record<string, string> {
  return {
    ...corsHeaders(verdict),
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
  };
}
