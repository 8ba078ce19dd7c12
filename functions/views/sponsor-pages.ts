import type { FieldError } from '../http/fields';
import { REASON_MAX } from '../http/fields';
import type { SponsoredContractor } from '../use-cases/manage-contractors';
import { alert, enhanced, errorSummary, input } from './components';
import { describeDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/**
 * A sponsor's pages: asking for a management link, and the management page it opens (the
 * contractors who named them, each with Renew and End access). Opening the management page
 * changes nothing (mail scanners open every link); only a button's POST does.
 */

function linkSent(linkLifetimeSeconds: number): SafeHtml {
  return html`<h1>Check your email</h1>
${alert('success', 'Email sent', 'If that address can sponsor contractors, we have emailed it a link to manage them.')}
<p>The link works for ${describeDuration(linkLifetimeSeconds)}; a newer link replaces it. If nothing arrives within a few minutes, check your spam folder, then <a class="usa-link" href="/sponsors">ask again</a>.</p>`;
}

export function sponsorsPage(form: { email?: string | undefined; error?: FieldError } = {}, linkLifetimeSeconds = 604_800): string {
  return layout(
    form.error ? 'Error: Manage the contractors you sponsor' : 'Manage the contractors you sponsor',
    enhanced(
      html`${errorSummary(form.error)}
<h1>Manage the contractors you sponsor</h1>
<p class="usa-intro">Agency employees who sponsor contractors can renew their sandbox access or end it. We will email you a link to a page that lists everyone who named you as their sponsor.</p>
<form class="usa-form usa-form--large" method="post" action="/sponsors/link" novalidate data-enhance>
${input('email', 'Your work email address', {
  type: 'email',
  value: form.email,
  hint: 'The address contractors named as their sponsor, for example name@agency.gov',
  autocomplete: 'email',
  required: true,
  error: form.error,
})}
<button class="usa-button" type="submit">Email me a link</button>
</form>`,
      { link_sent: linkSent(linkLifetimeSeconds) },
    ),
  );
}

export function linkSentPage(linkLifetimeSeconds: number): string {
  return layout('Check your email', linkSent(linkLifetimeSeconds));
}

const STATUS_LABEL: Readonly<Record<string, string>> = {
  awaiting_sponsor: 'Waiting for your decision',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Ended',
  denied: 'Denied',
};

function renewed(until?: string): SafeHtml {
  return html`<h2>Access renewed</h2>
${alert('success', 'New end date', html`Access now lasts until <strong data-answer="accessExpiresAt">${until ? formatTime(until) : ''}</strong>. We have emailed the contractor.`)}`;
}

function ended(alreadyDone = false): SafeHtml {
  return html`<h2>Access ended</h2>
${alert(alreadyDone ? 'info' : 'success', alreadyDone ? 'Nothing more to do' : 'No more sandbox access', alreadyDone ? 'This access had already ended.' : 'The contractor no longer has sandbox access. We have emailed them.')}`;
}

function contractorSection(token: string, contractor: SponsoredContractor, index: number): SafeHtml {
  const id = `contractor-${index}`;
  const canRenew = contractor.status === 'active' || contractor.status === 'expired';
  const canEnd = contractor.status === 'active';
  const form =
    canRenew || canEnd
      ? html`<form class="usa-form usa-form--large" method="post" action="/sponsors/manage" data-enhance>
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="requestId" value="${contractor.requestId}">
${
  canEnd
    ? html`<div class="usa-form-group">
<label class="usa-label" for="${id}-reason">Reason, if you end access <span class="usa-hint">(optional, sent to the contractor)</span></label>
<textarea class="usa-textarea" id="${id}-reason" name="reason" rows="2" maxlength="${REASON_MAX}"></textarea>
</div>`
    : ''
}
<div class="gk-actions">
${canRenew ? html`<button class="usa-button" type="submit" name="action" value="renew" aria-describedby="${id}-name">Renew</button>` : ''}
${canEnd ? html`<button class="usa-button usa-button--secondary" type="submit" name="action" value="end" aria-describedby="${id}-name">End access</button>` : ''}
</div>
</form>`
      : html``;
  return html`<section class="gk-contractor" aria-labelledby="${id}-name">
<h2 id="${id}-name">${contractor.name ?? contractor.email}</h2>
<dl class="gk-request">
<dt>Email address</dt><dd>${contractor.email}</dd>
<dt>Company</dt><dd>${contractor.company}</dd>
<dt>Status</dt><dd>${STATUS_LABEL[contractor.status] ?? contractor.status}</dd>
${contractor.approvedAt ? html`<dt>Approved</dt><dd>${formatTime(contractor.approvedAt)}</dd>` : ''}
${contractor.accessExpiresAt ? html`<dt>${contractor.status === 'active' ? 'Access ends' : 'Access ended or ends'}</dt><dd>${formatTime(contractor.accessExpiresAt)}</dd>` : ''}
</dl>
${canRenew || canEnd ? enhanced(form, { active: renewed(), revoked: ended(), 'done-revoked': ended(true) }) : ''}
</section>`;
}

export function managePage(token: string, sponsor: string, contractors: readonly SponsoredContractor[]): string {
  return layout(
    'The contractors you sponsor',
    html`<h1>The contractors you sponsor</h1>
<p class="usa-intro">Everyone who named <strong>${sponsor}</strong> as their sponsor and confirmed their own address.</p>
<p>Renew adds a full period of access from today or from the current end, whichever is later. End access takes effect at once. Nothing changes unless you select a button.</p>
${
  contractors.length
    ? contractors.map((contractor, index) => contractorSection(token, contractor, index))
    : alert('info', 'Nobody to manage', 'No contractor has named this address as their sponsor.')
}`,
  );
}

/** What a Renew or End access click shows without JavaScript. */
export function manageOutcomePage(token: string, outcome: { status: string; accessExpiresAt?: string }): string {
  const active = outcome.status === 'active';
  const title = active ? 'Access renewed' : 'Access ended';
  return layout(
    title,
    html`<h1>${title}</h1>
${
  active
    ? alert(
        'success',
        'Access renewed',
        html`Access now lasts until <strong>${formatTime(outcome.accessExpiresAt ?? '')}</strong>. We have emailed the contractor.`,
      )
    : alert('success', 'No more sandbox access', 'The contractor no longer has sandbox access. We have emailed them.')
}
<p><a class="usa-link" href="/sponsors/manage?token=${token}">Back to the contractors you sponsor</a></p>`,
  );
}
