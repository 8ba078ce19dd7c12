import { alert } from './components';
import { formatTime } from './format';
import { html } from './html';
import { layout } from './layout';

/** The warning email's page: whose account, when it closes, and the one button that keeps it (GET changes nothing). */
export function keepPage(token: string, email: string, dormantAt: string): string {
  return layout(
    'Keep your sandbox account',
    html`<h1>Keep your sandbox account</h1>
<p class="usa-intro">The sandbox account of <strong>${email}</strong> closes on ${formatTime(new Date(dormantAt))} unless you keep it.</p>
<form class="usa-form" method="post" action="/keep">
<input type="hidden" name="token" value="${token}">
<button class="usa-button" type="submit">Keep my account</button>
</form>
<p>Nothing happens until you select the button. If you no longer need the account, close this page: it closes on that date, and you can sign up again later.</p>`,
  );
}

export function keptPage(dormantAt: string, options: { sandboxUrl?: string } = {}): string {
  return layout(
    'Your sandbox account is kept',
    html`<h1>Your sandbox account is kept</h1>
${alert('success', 'Account kept', `Your sandbox account stays open. We will ask again before ${formatTime(new Date(dormantAt))}.`)}
<h2>What happens next</h2>
<p>Nothing, unless you stop using the sandbox: using it keeps your account open too.</p>
${options.sandboxUrl ? html`<p><a class="usa-button" href="${options.sandboxUrl}">Go to the sandbox</a></p>` : ''}`,
  );
}
