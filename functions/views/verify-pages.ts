import type { AccountStatus } from '../core/account';
import type { PendingSummary } from '../core/verification';
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
  no_decision: {
    title: 'Request not decided',
    heading: 'No sandbox access',
    text: 'Your sponsor did not answer this request before its approval link expired. You can send a new request from the contractor page.',
    kind: 'warning',
  },
  suspended: {
    title: 'Account suspended',
    heading: 'No sandbox access',
    text: 'This sandbox account is suspended because its email domain is no longer in the official .gov registry. Contact the sandbox team if this is a mistake.',
    kind: 'warning',
  },
};

const CONFIRMED: Outcome = {
  title: 'Email address confirmed',
  heading: 'Email address confirmed',
  text: 'This email address is confirmed.',
  kind: 'success',
};

/** What comes next after a status: where to go, or what to wait for. No page ends without one. */
function whatNext(status: AccountStatus, sandboxUrl: string | undefined): SafeHtml {
  if (status === 'active') {
    return html`<h2>What happens next</h2>
<p>Sign in to the sandbox with this email address. Your account stays open while you use it; before it would close for lack of use, we email you a link to keep it.</p>
${sandboxUrl ? html`<p><a class="usa-button" href="${sandboxUrl}">Go to the sandbox</a></p>` : ''}`;
  }
  if (status === 'awaiting_sponsor') {
    return html`<h2>What happens next</h2>
<p>Your sponsor gets an email with your request and approves or denies it, signed in as themselves. We email you their decision; after an approval, that email says until when your access lasts. There is nothing more to do on this page.</p>`;
  }
  return html`<p>To use the sandbox, <a class="usa-link" href="/">create an account</a> or, as a contractor, <a class="usa-link" href="/contractors">ask an agency sponsor</a>.</p>`;
}

function outcome(status: AccountStatus, options: { alreadyDone?: boolean; sandboxUrl?: string } = {}): SafeHtml {
  const found = OUTCOME[status] ?? CONFIRMED;
  return html`<h1>${found.title}</h1>
${alert(found.kind, options.alreadyDone ? 'This link has already been used' : found.heading, found.text)}
${whatNext(status, options.sandboxUrl)}`;
}

/** What confirming would confirm: the address, and for a contractor everything the sponsor will be shown. */
function pendingDetails(pending: PendingSummary): SafeHtml {
  if (pending.kind === 'agency') {
    return html`<p class="usa-intro">Confirm <strong>${pending.email}</strong> to create your sandbox account.</p>`;
  }
  return html`<p class="usa-intro">Confirm your address to send this request for sponsored sandbox access. Only then do we email the sponsor.</p>
<dl class="gk-request">
<dt>Your email address</dt><dd>${pending.email}</dd>
<dt>Your name</dt><dd>${pending.name ?? ''}</dd>
<dt>Sponsor asked to approve</dt><dd>${pending.sponsorEmail ?? ''}</dd>
<dt>Company</dt><dd>${pending.company ?? ''}</dd>
<dt>Why you need access</dt><dd class="gk-justification">${pending.justification ?? ''}</dd>
</dl>`;
}

export function confirmEmailPage(token: string, pending: PendingSummary, options: { sandboxUrl?: string } = {}): string {
  return layout(
    'Confirm your email address',
    enhanced(
      html`<h1>Confirm your email address</h1>
${pendingDetails(pending)}
<form class="usa-form" method="post" action="/verify" data-enhance>
<input type="hidden" name="token" value="${token}">
<div class="gk-actions">
<button class="usa-button" type="submit" name="action" value="confirm">Confirm my email address</button>
<button class="usa-button usa-button--outline" type="submit" name="action" value="cancel">This is not my request</button>
</div>
</form>
<p>Nothing happens until you select a button. If you did not ask for this, select “This is not my request”: we remove the request and send nothing more for it.</p>`,
      {
        active: outcome('active', options),
        awaiting_sponsor: outcome('awaiting_sponsor', options),
        cancelled: cancelled(),
      },
    ),
  );
}

function cancelled(): SafeHtml {
  return html`<h1>Request removed</h1>
${alert('info', 'Nothing more happens', 'This request was cancelled with its link: we removed it and will send nothing more for it. No account was created.')}
<p>If you change your mind, ask again: <a class="usa-link" href="/">create an account</a> or, as a contractor, <a class="usa-link" href="/contractors">ask an agency sponsor</a>.</p>`;
}

export function cancelledPage(): string {
  return layout('Request removed', cancelled());
}

export function outcomePage(status: AccountStatus, options: { alreadyDone?: boolean; sandboxUrl?: string } = {}): string {
  return layout((OUTCOME[status] ?? CONFIRMED).title, outcome(status, options));
}
