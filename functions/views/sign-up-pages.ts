import { type FieldError, JUSTIFICATION_MAX, NAME_MAX } from '../http/fields';
import { alert, enhanced, errorSummary, input } from './components';
import { describeDuration } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/**
 * The two request forms (a gov/mil sign-up, a contractor's request for sponsorship) and the
 * "check your email" answer they share. With JavaScript, the form's region is replaced in place
 * by the matching `<template data-outcome>` (functions/browser/enhance.ts).
 */

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
