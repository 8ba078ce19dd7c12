import { alert } from './components';
import { formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/** What a sponsor's Renew, End access, Approve or Deny shows: in place (templates) with JavaScript, as a page without. */

/**
 * The in-place answers inside a contractor's section: one alert each, its heading a level below
 * the section's (focus moves to it); `data-status` is the section's status once the answer stands.
 */
const inPlace = (status: string, alertHtml: SafeHtml) => html`<div data-status="${status}">${alertHtml}</div>`;

export function renewed(): SafeHtml {
  return inPlace(
    'Active',
    alert(
      'success',
      'Access renewed',
      html`Access now lasts until <strong data-answer="accessExpiresAt">…</strong>. We have emailed the contractor.`,
      3,
    ),
  );
}

export function unchanged(): SafeHtml {
  return inPlace(
    'Active',
    alert(
      'info',
      'Nothing to renew',
      html`Access already lasts until <strong data-answer="accessExpiresAt">…</strong>, one period from now: a renewal gives no more. Nothing was changed or sent.`,
      3,
    ),
  );
}

export function ended(alreadyDone = false): SafeHtml {
  return inPlace(
    'Ended',
    alreadyDone
      ? alert('info', 'Nothing more to do', 'This access had already ended.', 3)
      : alert(
          'success',
          'Access ended',
          html`Access ended at <strong data-answer="endedAt">…</strong>. We have emailed the contractor.`,
          3,
        ),
  );
}

export function decided(outcome: 'approved' | 'denied'): SafeHtml {
  return outcome === 'approved'
    ? inPlace(
        'Active',
        alert(
          'success',
          'Approved',
          html`The contractor now has sandbox access until <strong data-answer="accessExpiresAt">…</strong>. We have emailed them.`,
          3,
        ),
      )
    : inPlace('Denied', alert('info', 'Denied', 'The contractor does not get sandbox access. We have emailed them.', 3));
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
