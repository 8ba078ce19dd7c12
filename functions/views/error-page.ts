import type { ErrorCode, LinkNextStep } from '../core/errors';
import { alert } from './components';
import { html, type SafeHtml } from './html';
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

const withEmail = (path: string, email: string | undefined): string =>
  email ? `${path}?${new URLSearchParams({ email }).toString()}` : path;

/** The way on from a link that does no work, for whom it was: never the sign-up form for a contractor or a sponsor. */
function linkNextStep(next: LinkNextStep | undefined): SafeHtml {
  switch (next?.to) {
    case 'dashboard':
      return html`<p>Every request that names you, and what you can still do about it, is on your dashboard.</p>
<p><a class="usa-button" href="/sponsors">Go to your sponsor dashboard</a></p>`;
    case 'contractor':
      return html`<p>Send your request again: your address is filled in. We email you a new link.</p>
<p><a class="usa-button" href="${withEmail('/contractors', next.email)}">Get a new link</a></p>`;
    case 'sign-up':
      return html`<p>Ask again: your address is filled in. We email you a new link.</p>
<p><a class="usa-button" href="${withEmail('/', next.email)}">Get a new link</a></p>`;
    default:
      return html`<p><a class="usa-button" href="/">Get a new link</a></p>
<p>Contractors sponsored by an agency: <a class="usa-link" href="/contractors">send your request again</a>. Sponsors: <a class="usa-link" href="/sponsors">go to your dashboard</a>.</p>`;
  }
}

export function errorPage(error: { code: PageErrorCode; message: string; next?: LinkNextStep }): string {
  const title = ERROR_TITLES[error.code];
  const isLink = error.code === 'invalid_token' || error.code === 'expired_token';
  const next =
    error.code === 'sign_in_required' || error.code === 'not_the_sponsor' || error.code === 'sign_in_failed'
      ? html`<p><a class="usa-button" href="/sign-in">Sign in as the sponsor</a></p>`
      : isLink
        ? linkNextStep(error.next)
        : html`<p><a class="usa-link" href="/">Go to the sign-up page</a></p>`;
  return layout(
    title,
    html`<h1>${title}</h1>
${alert('error', title, error.message)}
${next}`,
  );
}
