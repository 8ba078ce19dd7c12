import type { ContractorSummary } from '../core/account';
import { REASON_MAX } from '../http/fields';
import { alert, enhanced, input } from './components';
import { agencyInSentence, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { signedInBar } from './sign-in-pages';

/** The sponsor's pages: the review of a request (two buttons, signed in as its sponsor) and what a decision shows. */

/** When the access an approval gave ends: the time itself on a page, a slot the answer fills in place. */
const accessEnd = (accessExpiresAt: string | undefined) =>
  accessExpiresAt ? html`<strong>${formatTime(accessExpiresAt)}</strong>` : html`<strong data-answer="accessExpiresAt">…</strong>`;

const DASHBOARD = html`<p>Your <a class="usa-link" href="/sponsors">sponsor dashboard</a> lists every contractor who named you, with their access and what you can do: renew it, or end it at once.</p>`;

function decided(outcomeName: 'approved' | 'denied', alreadyDone: boolean, accessExpiresAt?: string): SafeHtml {
  const approved = outcomeName === 'approved';
  const title = alreadyDone ? 'This request is already decided' : approved ? 'You approved the request' : 'You denied the request';
  return html`<h1>${title}</h1>
${alert(
  approved ? 'success' : 'info',
  alreadyDone ? `The request was ${outcomeName}` : approved ? 'Access granted' : 'No access granted',
  alreadyDone
    ? 'Nothing more to do.'
    : approved
      ? html`The contractor now has sandbox access until ${accessEnd(accessExpiresAt)}. We have emailed them.`
      : 'The contractor does not get sandbox access. We have emailed them.',
)}
${
  alreadyDone
    ? ''
    : html`<h2>What happens next</h2>
<p>${approved ? 'We email you a receipt, and remind you before the access ends so that you can renew it.' : 'We email you a receipt. If they ask again, you get a new request to decide.'}</p>`
}
${DASHBOARD}`;
}

/** Who opened the review page: nobody signed in, the request's sponsor, or someone else. */
export type Viewer =
  | { readonly as: 'nobody' }
  | { readonly as: 'sponsor' | 'someone-else'; readonly mailbox: string; readonly csrf: string };

function decisionForm(token: string, csrf: string): SafeHtml {
  return html`<form class="usa-form usa-form--large" method="post" action="/sponsorships/decision" data-enhance>
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="csrf" value="${csrf}">
${input('reason', 'Reason, sent to the contractor', { multiline: true, maxLength: REASON_MAX })}
<div class="gk-actions">
<button class="usa-button" type="submit" name="decision" value="approve">Approve</button>
<button class="usa-button usa-button--secondary" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p>Nothing is decided until you select Approve or Deny. If you do not know this person, select Deny.</p>`;
}

/** What the viewer may do here: decide (the sponsor, signed in), or sign in first. A link alone decides nothing. */
function nextStep(token: string, viewer: Viewer): SafeHtml {
  const signIn = `/sign-in?next=${encodeURIComponent(`/sponsorships/review?token=${token}`)}`;
  if (viewer.as === 'sponsor') return html`${signedInBar(viewer.mailbox, viewer.csrf)}${decisionForm(token, viewer.csrf)}`;
  if (viewer.as === 'someone-else') {
    return html`${alert('warning', 'Signed in as someone else', html`You are signed in as <strong>${viewer.mailbox}</strong>, but this request names another sponsor. Only they can decide it.`)}
${signedInBar(viewer.mailbox, viewer.csrf)}`;
  }
  return html`<h2>Decide</h2>
<p>To approve or deny, sign in as the sponsor this request names. Nothing is decided by opening this page.</p>
<p><a class="usa-button" href="${signIn}">Sign in to decide</a></p>`;
}

export function reviewPage(token: string, request: ContractorSummary, viewer: Viewer = { as: 'nobody' }): string {
  return layout(
    'Review a sponsorship request',
    enhanced(
      html`<h1>Review a sponsorship request</h1>
<p class="usa-intro">Someone named you as their agency sponsor for access to the integration sandbox. They have confirmed that they receive email at the address below.</p>
${request.agency ? html`<p data-fact="agency">You are asked as a sponsor at ${agencyInSentence(request.agency)}.</p>` : ''}
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
${nextStep(token, viewer)}`,
      {
        approved: decided('approved', false),
        denied: decided('denied', false),
        'done-approved': decided('approved', true),
        'done-denied': decided('denied', true),
      },
    ),
  );
}

export function decisionPage(
  outcomeName: 'approved' | 'denied',
  options: { alreadyDone?: boolean; accessExpiresAt?: string } = {},
): string {
  const approved = outcomeName === 'approved';
  return layout(
    options.alreadyDone ? 'This request is already decided' : approved ? 'You approved the request' : 'You denied the request',
    decided(outcomeName, options.alreadyDone ?? false, options.accessExpiresAt),
  );
}
