import type { ErrorCode } from '../core/errors';
import { alert } from './components';
import { html } from './html';
import { layout } from './layout';

/** Every code an error page can show: the domain's codes and the 500 that never carries internals. */
export type PageErrorCode = ErrorCode | 'internal_error';

const PROBLEM = 'There is a problem with your request';

/** A title per code, typed over every code: a new code without a title does not compile. */
const ERROR_TITLES: Readonly<Record<PageErrorCode, string>> = {
  invalid_request: PROBLEM,
  invalid_email: PROBLEM,
  invalid_token: 'This link is not valid',
  invalid_code: 'That code did not work',
  sign_in_required: 'Sign in to continue',
  sign_in_failed: 'Sign-in did not complete',
  not_the_sponsor: 'Only the sponsor can decide',
  forbidden_origin: 'Request refused',
  edge_required: 'Request refused',
  machine_only: 'Request refused',
  not_found: 'Page not found',
  method_not_allowed: 'That action is not available here',
  already_verified: PROBLEM,
  already_decided: PROBLEM,
  invalid_state: PROBLEM,
  expired_token: 'This link has expired',
  payload_too_large: PROBLEM,
  unsupported_media_type: PROBLEM,
  domain_not_registered: PROBLEM,
  domain_not_eligible: PROBLEM,
  use_direct_signup: PROBLEM,
  lookalike_domain: PROBLEM,
  sponsor_not_eligible: PROBLEM,
  sponsor_is_requester: PROBLEM,
  rate_limited: 'Too many requests',
  service_unavailable: 'The service is briefly unavailable',
  internal_error: 'Something went wrong',
};

export function errorPage(error: { code: PageErrorCode; message: string }): string {
  const title = ERROR_TITLES[error.code];
  const isLink = error.code === 'invalid_token' || error.code === 'expired_token';
  const next =
    error.code === 'sign_in_required' || error.code === 'not_the_sponsor' || error.code === 'sign_in_failed'
      ? html`<a class="usa-button" href="/sign-in">Sign in as the sponsor</a>`
      : isLink
        ? html`<a class="usa-button" href="/">Get a new link</a>`
        : html`<a class="usa-link" href="/">Go to the sign-up page</a>`;
  return layout(
    title,
    html`<h1>${title}</h1>
${alert('error', title, error.message)}
<p>${next}</p>`,
  );
}
