import { alert } from './components';
import { formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/** What a sponsor's Renew, End access, Approve or Deny shows: in place (templates) with JavaScript, as a page without. */

export function renewed(): SafeHtml {
  return html`<h3>Access renewed</h3>
${alert('success', 'New end date', html`Access now lasts until <strong data-answer="accessExpiresAt">…</strong>. We have emailed the contractor.`)}`;
}

export function unchanged(): SafeHtml {
  return html`<h3>Nothing to renew</h3>
${alert('info', 'Access already lasts a full period', html`Access already lasts until <strong data-answer="accessExpiresAt">…</strong>, one period from now: a renewal gives no more. Nothing was changed or sent.`)}`;
}

export function ended(alreadyDone = false): SafeHtml {
  return html`<h3>Access ended</h3>
${alert(
  alreadyDone ? 'info' : 'success',
  alreadyDone ? 'Nothing more to do' : 'No more sandbox access',
  alreadyDone
    ? 'This access had already ended.'
    : html`Access ended at <strong data-answer="endedAt">…</strong>. We have emailed the contractor.`,
)}`;
}

export function decided(outcome: 'approved' | 'denied'): SafeHtml {
  return html`<h3>${outcome === 'approved' ? 'Approved' : 'Denied'}</h3>
${alert(outcome === 'approved' ? 'success' : 'info', outcome === 'approved' ? 'Access granted' : 'No access granted', 'We have emailed the contractor.')}`;
}

/** Without JavaScript, End access asks on a page of its own before anything changes. */
export function confirmEndPage(form: { requestId: string; csrf: string; reason?: string; contractor: string }): string {
  return layout(
    'End sandbox access?',
    html`<h1>End sandbox access?</h1>
<p class="usa-intro">${form.contractor} loses sandbox access at once and is emailed${form.reason ? ' your reason' : ''}.</p>
<form class="usa-form" method="post" action="/sponsors/manage">
<input type="hidden" name="csrf" value="${form.csrf}">
<input type="hidden" name="requestId" value="${form.requestId}">
<input type="hidden" name="reason" value="${form.reason ?? ''}">
<input type="hidden" name="confirmed" value="yes">
<div class="gk-actions">
<button class="usa-button usa-button--secondary" type="submit" name="action" value="end">Yes, end access</button>
<a class="usa-button usa-button--outline" href="/sponsors">No, keep access</a>
</div>
</form>`,
  );
}

/** What a Renew or End access click shows without JavaScript. */
export function manageOutcomePage(outcome: { status: string; accessExpiresAt?: string; endedAt?: string; unchanged?: true }): string {
  const active = outcome.status === 'active';
  const title = outcome.unchanged ? 'Nothing to renew' : active ? 'Access renewed' : 'Access ended';
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
    : alert(
        'success',
        'No more sandbox access',
        html`Access ended at <strong>${formatTime(outcome.endedAt ?? '')}</strong>. We have emailed the contractor.`,
      )
}
<p><a class="usa-link" href="/sponsors">Back to the contractors you sponsor</a></p>`,
  );
}
