import type { AccountStatus } from '../core/account';
import { asset } from './assets';
import { html, type SafeHtml } from './html';

/**
 * Server-rendered pages in U.S. Web Design System markup, working without JavaScript. Every
 * emailed link lands on a page that only shows and asks; the state changes on the POST of a
 * person's click. With JavaScript, forms marked `data-enhance` are answered in place
 * (functions/browser/enhance.ts), using the `<template data-outcome>` blocks rendered here.
 */

const SERVICE = 'Sandbox sign-up';

/** Names and company names: the form stops typing at the limit the server enforces. */
export const NAME_MAX = 200;

function banner(): SafeHtml {
  return html`<section class="usa-banner" aria-label="Official website of the United States government">
<div class="usa-accordion">
<header class="usa-banner__header">
<div class="usa-banner__inner">
<div class="grid-col-auto"><img aria-hidden="true" class="usa-banner__header-flag" src="${asset('uswds/img/us_flag_small.png')}" alt=""></div>
<div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
<p class="usa-banner__header-text">An official website of the United States government</p>
<p class="usa-banner__header-action">Here’s how you know</p>
</div>
<button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="gov-banner">
<span class="usa-banner__button-text">Here’s how you know</span>
</button>
</div>
</header>
<div class="usa-banner__content usa-accordion__content" id="gov-banner" hidden>
<div class="grid-row grid-gap-lg">
<div class="usa-banner__guidance tablet:grid-col-6">
<img class="usa-banner__icon usa-media-block__img" src="${asset('uswds/img/icon-dot-gov.svg')}" role="img" alt="" aria-hidden="true">
<div class="usa-media-block__body"><p><strong>Official websites use .gov</strong><br>A <strong>.gov</strong> website belongs to an official government organization in the United States.</p></div>
</div>
<div class="usa-banner__guidance tablet:grid-col-6">
<img class="usa-banner__icon usa-media-block__img" src="${asset('uswds/img/icon-https.svg')}" role="img" alt="" aria-hidden="true">
<div class="usa-media-block__body"><p><strong>Secure .gov websites use HTTPS</strong><br>A <strong>lock</strong> or <strong>https://</strong> means you’ve safely connected to the .gov website. Share sensitive information only on official, secure websites.</p></div>
</div>
</div>
</div>
</div>
</section>`;
}

function layout(title: string, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | ${SERVICE}</title>
<link rel="icon" type="image/png" href="${asset('uswds/img/favicons/favicon-40.png')}">
<link rel="stylesheet" href="${asset('uswds/css/uswds.min.css')}">
<link rel="stylesheet" href="${asset('app/app.css')}">
<script src="${asset('uswds/js/uswds.min.js')}" defer></script>
<script src="${asset('app/enhance.js')}" defer></script>
</head>
<body>
<a class="usa-skipnav" href="#main-content">Skip to main content</a>
${banner()}
<header class="usa-header usa-header--basic">
<div class="usa-nav-container">
<div class="usa-navbar"><div class="usa-logo"><em class="usa-logo__text"><a href="/" title="${SERVICE}">${SERVICE}</a></em></div></div>
</div>
</header>
<main id="main-content" class="usa-section" tabindex="-1">
<div class="grid-container">
<div class="grid-row"><div class="grid-col-12 tablet:grid-col-8">
${main}
</div></div>
</div>
</main>
<footer class="usa-footer usa-footer--slim">
<div class="usa-identifier">
<section class="usa-identifier__section usa-identifier__section--masthead" aria-label="Agency identifier">
<div class="usa-identifier__container">
<p class="usa-identifier__identity-disclaimer">The integration sandbox is for testing only. Do not enter real personal data.</p>
</div>
</section>
<section class="usa-identifier__section usa-identifier__section--usagov" aria-label="U.S. government information and services">
<div class="usa-identifier__container">
<div class="usa-identifier__usagov-description">Looking for U.S. government information and services?</div>
<a href="https://www.usa.gov/" class="usa-link">Visit USA.gov</a>
</div>
</section>
</div>
</footer>
</body>
</html>
`.value;
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

function errorSummary(error: FieldError | undefined): SafeHtml {
  if (!error) return html``;
  return html`<div class="usa-alert usa-alert--error" role="alert" tabindex="-1" id="error-summary">
<div class="usa-alert__body">
<h2 class="usa-alert__heading">There is a problem</h2>
<ul class="usa-list"><li><a href="#${error.field}">${error.message}</a></li></ul>
</div>
</div>`;
}

function alert(kind: 'success' | 'info' | 'warning' | 'error', heading: string, text: SafeHtml | string): SafeHtml {
  return html`<div class="usa-alert usa-alert--${kind}"${kind === 'error' ? html` role="alert"` : html` role="status"`}>
<div class="usa-alert__body">
<h2 class="usa-alert__heading">${heading}</h2>
<p class="usa-alert__text">${text}</p>
</div>
</div>`;
}

interface FieldOptions {
  readonly type?: string;
  /** What the person typed, if anything: a re-rendered form keeps it. */
  readonly value?: string | undefined;
  readonly hint?: string;
  readonly error?: FieldError | undefined;
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
    options.required ? html` required aria-required="true"` : ''
  }${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }`;
  return html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}">${label}${options.required ? '' : html` <span class="usa-hint">(optional)</span>`}</label>
${options.hint ? html`<div class="usa-hint" id="${id}-hint">${options.hint}</div>` : ''}
${error ? html`<span class="usa-error-message" id="${id}-error">${error.message}</span>` : ''}
${
  options.multiline
    ? html`<textarea class="usa-textarea${error ? ' usa-input--error' : ''}" ${attributes} rows="5">${options.value ?? ''}</textarea>`
    : html`<input class="usa-input${error ? ' usa-input--error' : ''}" ${attributes} type="${options.type ?? 'text'}" value="${options.value ?? ''}">`
}
</div>`;
}

/** 86400 → "24 hours", 900 → "15 minutes". */
export function describeDuration(seconds: number): string {
  const [size, unit] =
    seconds % 86_400 === 0 && seconds >= 2 * 86_400
      ? [seconds / 86_400, 'day']
      : seconds >= 3600
        ? [Math.round(seconds / 3600), 'hour']
        : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${size} ${unit}${size === 1 ? '' : 's'}`;
}

function checkEmail(linkLifetimeSeconds: number, contractor: boolean): SafeHtml {
  const again = contractor ? '/contractors' : '/';
  return html`<h1>Check your email</h1>
${alert(
  'success',
  'Email sent',
  contractor
    ? 'If we can take this request, we have emailed you a link. Open it to confirm your address; only then do we ask your sponsor.'
    : 'If that address can have a sandbox account, we have sent it an email. Open the link in it to continue.',
)}
<p>The link works for ${describeDuration(linkLifetimeSeconds)} and only once. If nothing arrives within a few minutes, check your spam folder, then <a class="usa-link" href="${again}">ask again</a>.</p>`;
}

/** The region a form lives in; with JavaScript the matching template replaces it. */
function enhanced(form: SafeHtml, outcomes: Readonly<Record<string, SafeHtml>>): SafeHtml {
  return html`<div data-enhance-region>
${form}
${Object.entries(outcomes).map(([status, content]) => html`<template data-outcome="${status}">${content}</template>`)}
</div>`;
}

export interface SignUpForm {
  readonly email?: string;
  readonly name?: string;
  readonly error?: FieldError;
}

export function signUpPage(form: SignUpForm = {}, linkLifetimeSeconds = 86_400): string {
  return layout(
    form.error ? `Error: Create a sandbox account` : 'Create a sandbox account',
    enhanced(
      html`${errorSummary(form.error)}
<h1>Create a sandbox account</h1>
<p class="usa-intro">Agency employees with a <strong>.gov</strong> or <strong>.mil</strong> email address can create a sandbox account. We will email you a link to confirm your address.</p>
<p>Contractors need an agency partner to sponsor them: <a class="usa-link" href="/contractors">request sponsored access</a>.</p>
<form class="usa-form usa-form--large" method="post" action="/signup" novalidate data-enhance>
${input('email', 'Work email address', {
  type: 'email',
  value: form.email,
  hint: 'For example, name@agency.gov',
  autocomplete: 'email',
  required: true,
  error: form.error,
})}
${input('name', 'Full name', { value: form.name, autocomplete: 'name', maxLength: NAME_MAX, error: form.error })}
<button class="usa-button" type="submit">Send me a confirmation link</button>
</form>`,
      { verification_sent: checkEmail(linkLifetimeSeconds, false) },
    ),
  );
}

export function checkEmailPage(linkLifetimeSeconds: number, options: { contractor?: boolean } = {}): string {
  return layout('Check your email', checkEmail(linkLifetimeSeconds, options.contractor ?? false));
}

/** A parsed form body: any field may be missing. */
export interface ContractorForm {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly company?: string | undefined;
  readonly sponsorEmail?: string | undefined;
  readonly justification?: string | undefined;
  readonly error?: FieldError;
}

export const JUSTIFICATION_MAX = 1000;

export function contractorPage(form: ContractorForm = {}, linkLifetimeSeconds = 86_400): string {
  return layout(
    form.error ? 'Error: Request sponsored sandbox access' : 'Request sponsored sandbox access',
    enhanced(
      html`${errorSummary(form.error)}
<h1>Request sponsored sandbox access</h1>
<p class="usa-intro">Contractors working for a government agency can use the sandbox when an agency employee sponsors them.</p>
<p>Name your sponsor: an agency employee with a <strong>.gov</strong> or <strong>.mil</strong> email address. We first email you a link to confirm your own address. Once you confirm it, we ask your sponsor to approve the request, and email you their decision.</p>
<p>Agency employees do not need a sponsor: <a class="usa-link" href="/">create an account directly</a>.</p>
<form class="usa-form usa-form--large" method="post" action="/sponsorships" novalidate data-enhance>
${input('name', 'Full name', { value: form.name, autocomplete: 'name', maxLength: NAME_MAX, required: true, error: form.error })}
${input('email', 'Your work email address', { type: 'email', value: form.email, autocomplete: 'email', required: true, error: form.error })}
${input('company', 'Company', { value: form.company, autocomplete: 'organization', maxLength: NAME_MAX, required: true, error: form.error })}
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
<button class="usa-button" type="submit">Send me a confirmation link</button>
</form>`,
      { verification_sent: checkEmail(linkLifetimeSeconds, true) },
    ),
  );
}

interface Outcome {
  readonly title: string;
  /** The alert's own heading: what happened, not the page title again. */
  readonly heading: string;
  readonly text: string;
  readonly kind: 'success' | 'info' | 'warning';
}

const OUTCOME: Partial<Record<AccountStatus, Outcome>> = {
  active: {
    title: 'Your sandbox account is active',
    heading: 'Email address confirmed',
    text: 'Your sandbox account is ready to use.',
    kind: 'success',
  },
  awaiting_sponsor: {
    title: 'Waiting for your sponsor',
    heading: 'Email address confirmed',
    text: 'We have asked your agency sponsor to approve your request and will email you their decision.',
    kind: 'info',
  },
  denied: { title: 'Request not approved', heading: 'No sandbox access', text: 'Your sponsor did not approve this request.', kind: 'warning' },
  revoked: { title: 'Account closed', heading: 'No sandbox access', text: 'This sandbox account has been closed.', kind: 'warning' },
  expired: { title: 'Access expired', heading: 'No sandbox access', text: 'The sandbox access for this account has expired.', kind: 'warning' },
};

const CONFIRMED: Outcome = { title: 'Email address confirmed', heading: 'Email address confirmed', text: 'This email address is confirmed.', kind: 'success' };

function outcome(status: AccountStatus, options: { alreadyDone?: boolean; sandboxUrl?: string } = {}): SafeHtml {
  const found = OUTCOME[status] ?? CONFIRMED;
  return html`<h1>${found.title}</h1>
${alert(found.kind, options.alreadyDone ? 'This link has already been used' : found.heading, found.text)}
${status === 'active' && options.sandboxUrl ? html`<p><a class="usa-button" href="${options.sandboxUrl}">Go to the sandbox</a></p>` : ''}`;
}

export function confirmEmailPage(token: string, options: { sandboxUrl?: string } = {}): string {
  return layout(
    'Confirm your email address',
    enhanced(
      html`<h1>Confirm your email address</h1>
<p class="usa-intro">Select the button to confirm this email address.</p>
<form class="usa-form" method="post" action="/verify" data-enhance>
<input type="hidden" name="token" value="${token}">
<button class="usa-button" type="submit">Confirm my email address</button>
</form>
<p>If you did not ask for a sandbox account, close this page. Nothing happens until you select the button.</p>`,
      {
        active: outcome('active', options),
        awaiting_sponsor: outcome('awaiting_sponsor', options),
      },
    ),
  );
}

export function outcomePage(status: AccountStatus, options: { alreadyDone?: boolean; sandboxUrl?: string } = {}): string {
  return layout((OUTCOME[status] ?? CONFIRMED).title, outcome(status, options));
}

export interface ReviewDetails {
  readonly name?: string;
  readonly email: string;
  readonly company: string;
  readonly justification: string;
  readonly requestedAt: string;
}

function decided(outcomeName: 'approved' | 'denied', alreadyDone: boolean): SafeHtml {
  const approved = outcomeName === 'approved';
  const title = alreadyDone ? 'This request is already decided' : approved ? 'You approved the request' : 'You denied the request';
  return html`<h1>${title}</h1>
${alert(
  approved ? 'success' : 'info',
  alreadyDone ? `The request was ${outcomeName}` : approved ? 'Access granted' : 'No access granted',
  alreadyDone
    ? 'Nothing more to do.'
    : approved
      ? 'The contractor now has sandbox access. We have emailed them.'
      : 'The contractor does not get sandbox access. We have emailed them.',
)}`;
}

export function reviewPage(token: string, request: ReviewDetails): string {
  return layout(
    'Review a sponsorship request',
    enhanced(
      html`<h1>Review a sponsorship request</h1>
<p class="usa-intro">A contractor named you as their agency sponsor for access to the integration sandbox. They have confirmed their email address.</p>
<dl class="gk-request">
<dt>Name</dt><dd>${request.name ?? '(not given)'}</dd>
<dt>Email</dt><dd>${request.email}</dd>
<dt>Company</dt><dd>${request.company}</dd>
<dt>Why they need access</dt><dd class="gk-justification">${request.justification}</dd>
<dt>Requested</dt><dd>${request.requestedAt.slice(0, 16).replace('T', ' ')} UTC</dd>
</dl>
<form class="usa-form usa-form--large" method="post" action="/sponsorships/decision" data-enhance>
<input type="hidden" name="token" value="${token}">
${input('reason', 'Reason, sent to the contractor', { multiline: true, maxLength: 500 })}
<div class="gk-actions">
<button class="usa-button" type="submit" name="decision" value="approve">Approve</button>
<button class="usa-button usa-button--secondary" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p>Nothing is decided until you select Approve or Deny. If you do not know this person, select Deny.</p>`,
      {
        approved: decided('approved', false),
        denied: decided('denied', false),
        'done-approved': decided('approved', true),
        'done-denied': decided('denied', true),
      },
    ),
  );
}

export function decisionPage(outcomeName: 'approved' | 'denied', options: { alreadyDone?: boolean } = {}): string {
  const approved = outcomeName === 'approved';
  return layout(
    options.alreadyDone ? 'This request is already decided' : approved ? 'You approved the request' : 'You denied the request',
    decided(outcomeName, options.alreadyDone ?? false),
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
${alert('error', title, error.message)}
<p>${isLink ? html`<a class="usa-button" href="/">Get a new link</a>` : html`<a class="usa-link" href="/">Go to the sign-up page</a>`}</p>`,
  );
}
