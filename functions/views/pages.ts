import type { AccountStatus } from '../core/account';
import { html, type SafeHtml } from './html';

/**
 * Server-rendered pages: plain semantic HTML that works without JavaScript. Every emailed link
 * lands on a page that only shows and asks; the state changes on the POST of a person's click.
 */

const SERVICE = 'Sandbox sign-up';

function layout(title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | ${SERVICE}</title>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><p>An official website of the United States government</p><p><a href="/">${SERVICE}</a></p></header>
<main id="main" tabindex="-1">
${main}
</main>
<footer><p>Sandbox access is for testing integrations only. Do not enter real personal data.</p></footer>
</body>
</html>
`.value;
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface SignUpForm {
  readonly email?: string;
  readonly name?: string;
  readonly error?: FieldError;
}

function errorSummary(error: FieldError | undefined): SafeHtml {
  if (!error) return html``;
  return html`<div role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary">
<h2 id="error-summary-title">There is a problem</h2>
<ul><li><a href="#${error.field}">${error.message}</a></li></ul>
</div>`;
}

interface FieldOptions {
  readonly type?: string;
  readonly value?: string;
  readonly hint?: string;
  readonly error?: FieldError;
  readonly autocomplete?: string;
  readonly required?: boolean;
  /** A multi-line text area instead of a one-line input. */
  readonly multiline?: boolean;
  readonly maxLength?: number;
}

function input(id: string, label: string, options: FieldOptions): SafeHtml {
  const error = options.error?.field === id ? options.error : undefined;
  const describedBy = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`id="${id}" name="${id}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
    options.required ? html` required` : ''
  }${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }`;
  return html`<div class="field${error ? ' field--error' : ''}">
<label for="${id}">${label}</label>
${options.hint ? html`<div class="hint" id="${id}-hint">${options.hint}</div>` : ''}
${error ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${error.message}</p>` : ''}
${
  options.multiline
    ? html`<textarea ${attributes} rows="5">${options.value ?? ''}</textarea>`
    : html`<input ${attributes} type="${options.type ?? 'text'}" value="${options.value ?? ''}">`
}
</div>`;
}

export function signUpPage(form: SignUpForm = {}): string {
  return layout(
    form.error ? `Error: Create a sandbox account` : 'Create a sandbox account',
    html`${errorSummary(form.error)}
<h1>Create a sandbox account</h1>
<p>Agency employees with a <strong>.gov</strong> or <strong>.mil</strong> email address can create a sandbox account. We will email you a link to confirm your address.</p>
<p>Contractors need an agency partner to sponsor them: <a href="/contractors">request sponsored access</a>.</p>
<form method="post" action="/signup" novalidate>
${input('email', 'Work email address', {
  type: 'email',
  value: form.email,
  hint: 'For example, name@agency.gov',
  autocomplete: 'email',
  required: true,
  error: form.error,
})}
${input('name', 'Full name (optional)', { value: form.name, autocomplete: 'name', error: form.error })}
<button type="submit">Send me a confirmation link</button>
</form>`,
  );
}

/** 86400 → "24 hours", 900 → "15 minutes". */
export function describeDuration(seconds: number): string {
  const [size, unit] = seconds % 86_400 === 0 && seconds >= 2 * 86_400 ? [seconds / 86_400, 'day'] : seconds >= 3600 ? [Math.round(seconds / 3600), 'hour'] : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}

export function checkEmailPage(linkLifetimeSeconds: number, options: { contractor?: boolean } = {}): string {
  const again = options.contractor ? '/contractors' : '/';
  return layout(
    'Check your email',
    html`<h1>Check your email</h1>
<div role="status"><p>${
      options.contractor
        ? 'If we can take this request, we have emailed you a link. Open it to confirm your address; only then do we ask your sponsor.'
        : 'If that address can have a sandbox account, we have sent it an email. Open the link in it to continue.'
    }</p></div>
<p>The link works for ${describeDuration(linkLifetimeSeconds)} and only once. If nothing arrives within a few minutes, check your spam folder, then <a href="${again}">ask again</a>.</p>`,
  );
}

export interface ContractorForm {
  readonly name?: string;
  readonly email?: string;
  readonly company?: string;
  readonly sponsorEmail?: string;
  readonly justification?: string;
  readonly error?: FieldError;
}

export const JUSTIFICATION_MAX = 1000;

export function contractorPage(form: ContractorForm = {}): string {
  return layout(
    form.error ? 'Error: Request sponsored sandbox access' : 'Request sponsored sandbox access',
    html`${errorSummary(form.error)}
<h1>Request sponsored sandbox access</h1>
<p>Contractors working for a government agency can use the sandbox when an agency employee sponsors them. Name your sponsor: an agency employee with a <strong>.gov</strong> or <strong>.mil</strong> email address.</p>
<p>We first email you a link to confirm your own address. Once you confirm it, we ask your sponsor to approve the request, and email you their decision.</p>
<p>Agency employees do not need a sponsor: <a href="/">create an account directly</a>.</p>
<form method="post" action="/sponsorships" novalidate>
${input('name', 'Full name', { value: form.name, autocomplete: 'name', required: true, error: form.error })}
${input('email', 'Your work email address', { type: 'email', value: form.email, autocomplete: 'email', required: true, error: form.error })}
${input('company', 'Company', { value: form.company, autocomplete: 'organization', required: true, error: form.error })}
${input('sponsorEmail', 'Your sponsor’s email address', {
  type: 'email',
  value: form.sponsorEmail,
  hint: 'An agency employee, for example name@agency.gov',
  required: true,
  error: form.error,
})}
${input('justification', 'Why you need sandbox access', {
  value: form.justification,
  hint: `The agency project you are working on. At most ${JUSTIFICATION_MAX} characters; your sponsor sees this.`,
  multiline: true,
  maxLength: JUSTIFICATION_MAX,
  required: true,
  error: form.error,
})}
<button type="submit">Send me a confirmation link</button>
</form>`,
  );
}

export interface ReviewDetails {
  readonly name?: string;
  readonly email: string;
  readonly company: string;
  readonly justification: string;
  readonly requestedAt: string;
}

export function reviewPage(token: string, request: ReviewDetails): string {
  return layout(
    'Review a sponsorship request',
    html`<h1>Review a sponsorship request</h1>
<p>A contractor named you as their agency sponsor for access to the integration sandbox. They have confirmed their email address.</p>
<dl>
<dt>Name</dt><dd>${request.name ?? '(not given)'}</dd>
<dt>Email</dt><dd>${request.email}</dd>
<dt>Company</dt><dd>${request.company}</dd>
<dt>Why they need access</dt><dd class="justification">${request.justification}</dd>
<dt>Requested</dt><dd>${request.requestedAt.slice(0, 16).replace('T', ' ')} UTC</dd>
</dl>
<form method="post" action="/sponsorships/decision">
<input type="hidden" name="token" value="${token}">
${input('reason', 'Reason (optional; sent to the contractor)', { multiline: true, maxLength: 500 })}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p>Nothing is decided until you select Approve or Deny. If you do not know this person, select Deny.</p>`,
  );
}

export function decisionPage(outcome: 'approved' | 'denied', options: { alreadyDone?: boolean } = {}): string {
  const approved = outcome === 'approved';
  const title = options.alreadyDone ? 'This request is already decided' : approved ? 'You approved the request' : 'You denied the request';
  return layout(
    title,
    html`<h1>${title}</h1>
<div role="status"><p>${
      options.alreadyDone
        ? `The request was ${outcome}. Nothing more to do.`
        : approved
          ? 'The contractor now has sandbox access. We have emailed them.'
          : 'The contractor does not get sandbox access. We have emailed them.'
    }</p></div>`,
  );
}

export function confirmEmailPage(token: string): string {
  return layout(
    'Confirm your email address',
    html`<h1>Confirm your email address</h1>
<p>Select the button to confirm this email address and finish setting up your sandbox account.</p>
<form method="post" action="/verify">
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm my email address</button>
</form>
<p>If you did not ask for a sandbox account, close this page. Nothing happens until you select the button.</p>`,
  );
}

const OUTCOME: Partial<Record<AccountStatus, { title: string; text: string }>> = {
  active: { title: 'Your sandbox account is active', text: 'Your email address is confirmed and your sandbox account is ready to use.' },
  awaiting_sponsor: {
    title: 'Waiting for your sponsor',
    text: 'Your email address is confirmed. We have asked your agency sponsor to approve your request and will email you their decision.',
  },
  denied: { title: 'Request not approved', text: 'Your sponsor did not approve this request.' },
  revoked: { title: 'Account closed', text: 'This sandbox account has been closed.' },
  expired: { title: 'Access expired', text: 'The sandbox access for this account has expired.' },
};

export function outcomePage(status: AccountStatus, options: { alreadyDone?: boolean; sandboxUrl?: string } = {}): string {
  const outcome = OUTCOME[status] ?? { title: 'Email address confirmed', text: 'This email address is confirmed.' };
  return layout(
    outcome.title,
    html`<h1>${outcome.title}</h1>
<div role="status"><p>${options.alreadyDone ? 'This link has already been used. ' : ''}${outcome.text}</p></div>
${status === 'active' && options.sandboxUrl ? html`<p><a href="${options.sandboxUrl}">Go to the sandbox</a></p>` : ''}`,
  );
}

const ERROR_TITLES: Record<string, string> = {
  invalid_token: 'This link is not valid',
  expired_token: 'This link has expired',
  not_found: 'Page not found',
  method_not_allowed: 'That action is not available here',
  rate_limited: 'Too many requests',
  forbidden_origin: 'Request refused',
  internal_error: 'Something went wrong',
};

export function errorPage(error: { code: string; message: string }): string {
  const title = ERROR_TITLES[error.code] ?? 'There is a problem with your request';
  const isLink = error.code === 'invalid_token' || error.code === 'expired_token';
  return layout(
    title,
    html`<h1>${title}</h1>
<div role="alert"><p>${error.message}</p></div>
<p>${isLink ? html`<a href="/">Get a new link</a>` : html`<a href="/">Go to the sign-up page</a>`}</p>`,
  );
}
