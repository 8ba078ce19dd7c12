import type { AccountStatus } from '../core/account';
import { alert, enhanced } from './components';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/**
 * The verification link's pages: the confirmation page (a button; opening it changes nothing,
 * since mail scanners open every link) and what a confirmed, or already used, link shows.
 */

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
  denied: {
    title: 'Request not approved',
    heading: 'No sandbox access',
    text: 'Your sponsor did not approve this request.',
    kind: 'warning',
  },
  revoked: { title: 'Account closed', heading: 'No sandbox access', text: 'This sandbox account has been closed.', kind: 'warning' },
  expired: {
    title: 'Access expired',
    heading: 'No sandbox access',
    text: 'The sandbox access for this account has expired.',
    kind: 'warning',
  },
};

const CONFIRMED: Outcome = {
  title: 'Email address confirmed',
  heading: 'Email address confirmed',
  text: 'This email address is confirmed.',
  kind: 'success',
};

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
