import type { FieldError } from '../http/fields';
import { alert, errorSummary, input } from './components';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/**
 * Signing in as a sponsor by an emailed code: the address, then the code typed on the page that
 * asked for it. (With OpenID Connect configured, /sign-in sends the browser to the provider.)
 */

const hiddenNext = (next: string) => html`<input type="hidden" name="next" value="${next}">`;

export function signInPage(form: { next: string; email?: string | undefined; errors?: readonly FieldError[] }): string {
  return layout(
    form.errors?.length ? 'Error: Sign in as a sponsor' : 'Sign in as a sponsor',
    html`${errorSummary(form.errors)}
<h1>Sign in as a sponsor</h1>
<p class="usa-intro">Agency employees who sponsor contractors sign in here to approve, deny, renew or end their sandbox access.</p>
<p>We will email a six-digit code to your work address. Type it on the next page to sign in.</p>
<form class="usa-form usa-form--large" method="post" action="/sign-in/code" novalidate>
${hiddenNext(form.next)}
${input('email', 'Your work email address', {
  type: 'email',
  value: form.email,
  hint: 'The address contractors name as their sponsor, for example name@agency.gov',
  autocomplete: 'email',
  required: true,
  errors: form.errors,
})}
<button class="usa-button" type="submit">Email me a code</button>
</form>`,
  );
}

export function enterCodePage(form: { next: string; email: string; errors?: readonly FieldError[]; minutes: number }): string {
  return layout(
    form.errors?.length ? 'Error: Enter your sign-in code' : 'Enter your sign-in code',
    html`${errorSummary(form.errors)}
<h1>Enter your sign-in code</h1>
${form.errors?.length ? '' : alert('success', 'Check your email', html`If <strong>${form.email}</strong> can sponsor contractors, we have emailed it a six-digit code.`)}
<p>The code works once, for ${form.minutes} minutes. If nothing arrives within a few minutes, check your spam folder, then <a class="usa-link" href="/sign-in?next=${encodeURIComponent(form.next)}">ask for a new code</a>.</p>
<form class="usa-form usa-form--large" method="post" action="/sign-in/verify" novalidate>
${hiddenNext(form.next)}
<input type="hidden" name="email" value="${form.email}">
${input('code', 'Sign-in code', {
  type: 'text',
  hint: 'Six digits, for example 123456',
  autocomplete: 'one-time-code',
  inputMode: 'numeric',
  required: true,
  errors: form.errors,
})}
<button class="usa-button" type="submit">Sign in</button>
</form>`,
  );
}

/** Who is signed in, and the way out; on every page a session sees. */
export function signedInBar(mailbox: string, csrf: string): SafeHtml {
  return html`<form class="gk-signed-in" method="post" action="/sign-out">
<p>Signed in as <strong>${mailbox}</strong>.</p>
<input type="hidden" name="csrf" value="${csrf}">
<button class="usa-button usa-button--unstyled" type="submit">Sign out</button>
</form>`;
}

export function signedOutPage(): string {
  return layout(
    'You are signed out',
    html`<h1>You are signed out</h1>
${alert('info', 'Signed out', 'Your sponsor session has ended, on this browser and any other.')}
<p><a class="usa-link" href="/sign-in">Sign in again</a></p>`,
  );
}

/** The provider's answer could not be used (a stale or replayed sign-in, a refusal): start again. */
export function signInFailedPage(message: string): string {
  return layout(
    'Sign-in did not complete',
    html`<h1>Sign-in did not complete</h1>
${alert('error', 'Sign-in did not complete', message)}
<p><a class="usa-button" href="/sign-in">Sign in again</a></p>`,
  );
}
