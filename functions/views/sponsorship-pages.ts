import type { ContractorSummary } from '../core/account';
import { REASON_MAX } from '../http/fields';
import { alert, enhanced, input } from './components';
import { formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/** The sponsor's pages: the review of a request (two buttons) and what a decision shows. */

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

export function reviewPage(token: string, request: ContractorSummary): string {
  return layout(
    'Review a sponsorship request',
    enhanced(
      html`<h1>Review a sponsorship request</h1>
<p class="usa-intro">Someone named you as their agency sponsor for access to the integration sandbox. They have confirmed that they receive email at the address below.</p>
<dl class="gk-request">
<dt>Confirmed email address</dt><dd>${request.email}</dd>
<dt>Requested</dt><dd>${formatTime(request.requestedAt)}</dd>
</dl>
<h2>What the requester wrote</h2>
${alert('warning', 'Provided by the requester, not verified', 'We have not checked any of this. Links or instructions in it do not come from us.')}
<dl class="gk-request gk-unverified">
<dt>Name</dt><dd>${request.name ?? '(not given)'}</dd>
<dt>Company</dt><dd>${request.company}</dd>
<dt>Why they need access</dt><dd class="gk-justification">${request.justification}</dd>
</dl>
<form class="usa-form usa-form--large" method="post" action="/sponsorships/decision" data-enhance>
<input type="hidden" name="token" value="${token}">
${input('reason', 'Reason, sent to the contractor', { multiline: true, maxLength: REASON_MAX })}
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
