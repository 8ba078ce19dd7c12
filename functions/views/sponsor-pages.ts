import type { AccountStatus } from '../core/account';
import { REASON_MAX } from '../http/fields';
import type { SponsoredContractor } from '../use-cases/manage-contractors';
import { alert, enhanced } from './components';
import { agencyName, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { signedInBar } from './sign-in-pages';
import { decided, ended, renewed, unchanged } from './sponsor-outcomes';

/**
 * A signed-in sponsor's dashboard: the contractors who named them, each with its actions
 * (Approve and Deny while it waits; Renew and End access after). Opening it changes nothing;
 * every button's POST carries the session's CSRF token, and End access asks first.
 */

const STATUS_LABEL: Readonly<Record<AccountStatus, string>> = {
  pending: 'Confirming their address',
  awaiting_sponsor: 'Waiting for your decision',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Ended',
  denied: 'Denied',
  no_decision: 'Not decided in time',
  suspended: 'Suspended by the service',
};

const END_QUESTION = 'End this contractor’s sandbox access now? They lose access at once and are emailed.';

function actions(contractor: SponsoredContractor, id: string, csrf: string): SafeHtml {
  const fields = html`<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="requestId" value="${contractor.requestId}">`;
  if (contractor.status === 'awaiting_sponsor') {
    return enhanced(
      html`<form class="usa-form usa-form--large" method="post" action="/sponsorships/decision" data-enhance>
${fields}
<div class="usa-form-group">
<label class="usa-label" for="${id}-decision-reason">Reason <span class="usa-hint">(optional, sent to the contractor)</span></label>
<textarea class="usa-textarea" id="${id}-decision-reason" name="reason" rows="2" maxlength="${REASON_MAX}"></textarea>
</div>
<div class="gk-actions">
<button class="usa-button" type="submit" name="decision" value="approve" aria-describedby="${id}-name">Approve</button>
<button class="usa-button usa-button--secondary" type="submit" name="decision" value="deny" aria-describedby="${id}-name">Deny</button>
</div>
</form>`,
      { approved: decided('approved'), denied: decided('denied') },
    );
  }
  const canRenew = contractor.status === 'active' || contractor.status === 'expired';
  const canEnd = contractor.status === 'active';
  if (!canRenew && !canEnd) return html``;
  return enhanced(
    html`<form class="usa-form usa-form--large" method="post" action="/sponsors/manage" data-enhance>
${fields}
<input type="hidden" name="seen" value="${contractor.accessExpiresAt ?? ''}">
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
${canEnd ? html`<button class="usa-button usa-button--secondary" type="submit" name="action" value="end" data-confirm="${END_QUESTION}" aria-describedby="${id}-name">End access</button>` : ''}
</div>
</form>`,
    { active: renewed(), 'unchanged-active': unchanged(), revoked: ended(), 'done-revoked': ended(true) },
  );
}

function contractorSection(contractor: SponsoredContractor, index: number, csrf: string): SafeHtml {
  const id = `contractor-${index}`;
  return html`<section class="gk-contractor" aria-labelledby="${id}-name">
<h2 id="${id}-name">${contractor.name ?? contractor.email}</h2>
<dl class="gk-request">
<dt>Email address</dt><dd>${contractor.email}</dd>
<dt>Company</dt><dd>${contractor.company}</dd>
${contractor.agency ? html`<dt>Agency</dt><dd data-fact="agency">${agencyName(contractor.agency)}</dd>` : ''}
<dt>Status</dt><dd data-fact="status">${STATUS_LABEL[contractor.status]}</dd>
${contractor.approvedAt ? html`<dt>Approved</dt><dd>${formatTime(contractor.approvedAt)}</dd>` : ''}
${contractor.accessExpiresAt ? html`<dt>${contractor.status === 'active' ? 'Access ends' : 'Access ended or ends'}</dt><dd data-fact="end">${formatTime(contractor.accessExpiresAt)}</dd>` : ''}
</dl>
${actions(contractor, id, csrf)}
</section>`;
}

export function dashboardPage(sponsor: string, csrf: string, contractors: readonly SponsoredContractor[]): string {
  return layout(
    'The contractors you sponsor',
    html`${signedInBar(sponsor, csrf)}
<h1>The contractors you sponsor</h1>
<p class="usa-intro">Everyone who named <strong>${sponsor}</strong> as their sponsor and confirmed their own address.</p>
<p>Renew gives access until one full period from today (never more). End access takes effect at once. Nothing changes unless you select a button.</p>
${
  contractors.length
    ? contractors.map((contractor, index) => contractorSection(contractor, index, csrf))
    : alert('info', 'Nobody to manage', 'No contractor has named this address as their sponsor.')
}`,
  );
}
