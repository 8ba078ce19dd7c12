import { EmailNotSentError, type Log, type Metrics } from '../core/ports';
import { describeError } from '../core/redact';

/**
 * Sends one email and reports what happened: sent, suppressed (bounced or complained before),
 * or failed (transient or permanent). A failure is logged and counted, never thrown: the record
 * is already consistent and the person can ask again.
 */
export async function reportSend(
  recipient: string,
  email: string,
  deps: { readonly log: Log; readonly metrics: Metrics },
  send: () => Promise<'sent' | 'suppressed'>,
): Promise<void> {
  try {
    const outcome = await send();
    deps.metrics.count(outcome === 'sent' ? 'EmailsSent' : 'EmailsSuppressed');
    deps.log.info(outcome === 'sent' ? 'email sent' : 'email suppressed', { recipient, email });
  } catch (error) {
    const permanent = error instanceof EmailNotSentError && error.permanent;
    deps.metrics.count(permanent ? 'EmailsFailedPermanently' : 'EmailsFailed');
    deps.log.error('email failed', { recipient, email, permanent, error: describeError(error) });
  }
}
