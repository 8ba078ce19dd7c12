import { FIELD_LABELS, type FieldError, JUSTIFICATION_MAX, NAME_MAX } from '../http/fields';
import { alert, enhanced, errorSummary, input } from './components';
import { describeDuration } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { privacyActStatement } from './privacy-act';

/**
 * The two request forms (a gov/mil sign-up, a contractor's request for sponsorship) and the
 * "check your email" answer they share. With JavaScript, the form's region is replaced in place
 * by the matching `<template data-outcome>` (functions/browser/enhance.ts).
 */

/**
 * The answer to a request names the address it wrote to, as the server canonicalised it: a typo
 * shows. It says nothing the sender did not type (the same answer whatever the address's state).
 * Without `email` (the script's template) the script writes it from the JSON answer.
 */
function checkEmail(linkLifetimeSeconds: number, contractor: boolean, email = ''): SafeHtml {
  const again = contractor ? '/contractors' : '/';
  const address = html`<strong data-echo="email">${email}</strong>`;
  return html`<h1>Check your email</h1>
${alert(
  'success',
  'Email sent',
  contractor
    ? html`If we can take this request, we have emailed ${address} a link. Open it to confirm your address; only then do we ask your sponsor.`
    : html`If ${address} can have a sandbox account, we have sent it an email. Open the link in it to continue.`,
)}
<p>Not your address? <a class="usa-link" href="${again}">Ask again with the right one</a>.</p>
<p>The link works for ${describeDuration(linkLifetimeSeconds)} and only once. If nothing arrives within a few minutes, check your spam folder, then <a class="usa-link" href="${again}">ask again</a>.</p>`;
}

export interface SignUpForm {
  readonly email?: string;
  readonly name?: string;
  readonly errors?: readonly FieldError[];
}

const SIGN_UP_FIELDS = ['email', 'name'];

export function signUpPage(form: SignUpForm = {}, linkLifetimeSeconds = 86_400): string {
  return layout(
    form.errors?.length ? `Error: Create a sandbox account` : 'Create a sandbox account',
    enhanced(
      html`${errorSummary(form.errors, SIGN_UP_FIELDS)}
<h1>Create a sandbox account</h1>
<p class="usa-intro">Agency employees with a <strong>.gov</strong> or <strong>.mil</strong> email address can create a sandbox account. We will email you a link to confirm your address.</p>
<p>Contractors need an agency partner to sponsor them: <a class="usa-link" href="/contractors">request sponsored access</a>.</p>
<form class="usa-form usa-form--large" method="post" action="/signup" novalidate data-enhance>
${input('email', FIELD_LABELS.email, {
  type: 'email',
  value: form.email,
  hint: 'For example, name@agency.gov',
  autocomplete: 'email',
  required: true,
  errors: form.errors,
})}
${input('name', FIELD_LABELS.name, { value: form.name, autocomplete: 'name', maxLength: NAME_MAX, errors: form.errors })}
<button class="usa-button" type="submit">Send me a confirmation link</button>
</form>
<p>Agency partners who sponsor contractors: <a class="usa-link" href="/sponsors">see the contractors you sponsor</a>.</p>
${privacyActStatement()}`,
      { verification_sent: checkEmail(linkLifetimeSeconds, false) },
    ),
  );
}

export function checkEmailPage(linkLifetimeSeconds: number, options: { contractor?: boolean; email?: string } = {}): string {
  return layout('Check your email', checkEmail(linkLifetimeSeconds, options.contractor ?? false, options.email));
}

/** A parsed form body: any field may be missing. */
export interface ContractorForm {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly company?: string | undefined;
  readonly sponsorEmail?: string | undefined;
  readonly justification?: string | undefined;
  readonly errors?: readonly FieldError[];
}

const CONTRACTOR_FIELDS = ['name', 'email', 'company', 'sponsorEmail', 'justification'];

export function contractorPage(form: ContractorForm = {}, linkLifetimeSeconds = 86_400): string {
  const errors = form.errors;
  return layout(
    errors?.length ? 'Error: Request sponsored sandbox access' : 'Request sponsored sandbox access',
    enhanced(
      html`${errorSummary(errors, CONTRACTOR_FIELDS)}
<h1>Request sponsored sandbox access</h1>
<p class="usa-intro">Contractors working for a government agency can use the sandbox when an agency employee sponsors them.</p>
<p>Name your sponsor: an agency employee with a <strong>.gov</strong> or <strong>.mil</strong> email address. We first email you a link to confirm your own address. Once you confirm it, we ask your sponsor to approve the request, and email you their decision.</p>
<p>Agency employees do not need a sponsor: <a class="usa-link" href="/">create an account directly</a>.</p>
<form class="usa-form usa-form--large" method="post" action="/sponsorships" novalidate data-enhance>
${input('name', FIELD_LABELS.name, { value: form.name, autocomplete: 'name', maxLength: NAME_MAX, required: true, errors })}
${input('email', FIELD_LABELS.email, { type: 'email', value: form.email, autocomplete: 'email', required: true, errors })}
${input('company', FIELD_LABELS.company, { value: form.company, autocomplete: 'organization', maxLength: NAME_MAX, required: true, errors })}
${input('sponsorEmail', FIELD_LABELS.sponsorEmail, {
  type: 'email',
  value: form.sponsorEmail,
  hint: 'An agency employee, for example name@agency.gov',
  required: true,
  errors,
})}
${input('justification', FIELD_LABELS.justification, {
  value: form.justification,
  hint: 'Why you need sandbox access: the agency project you are working on. Your sponsor sees this.',
  multiline: true,
  maxLength: JUSTIFICATION_MAX,
  counted: true,
  required: true,
  errors,
})}
<button class="usa-button" type="submit">Send me a confirmation link</button>
</form>
${privacyActStatement()}`,
      { verification_sent: checkEmail(linkLifetimeSeconds, true) },
    ),
  );
}
