import { EmailNotSentError, type Log, type Metrics } from '../core/ports';
import { describeError } from '../core/redact';

/** What one attempt came to: the email went (or needs no sending: suppressed), or it failed for now, or for good. */
export type SendOutcome = 'delivered' | 'transient' | 'permanent';

/**
 * Sends one email and reports what happened: sent, suppressed (bounced or complained before),
 * or failed (transient or permanent), logged and counted. Never throws: the caller's outbox
 * keeps what failed for another attempt.
 */
export async function sendEmail(
  recipient: string,
  email: string,
  deps: { readonly log: Log; readonly metrics: Metrics },
  send: () => Promise<'sent' | 'suppressed'>,
): Promise<{ outcome: SendOutcome; error?: string }> {
  try {
    const outcome = await send();
    deps.metrics.count(outcome === 'sent' ? 'EmailsSent' : 'EmailsSuppressed');
    deps.log.info(outcome === 'sent' ? 'email sent' : 'email suppressed', { recipient, email });
    return { outcome: 'delivered' };
  } catch (error) {
    const permanent = error instanceof EmailNotSentError && error.permanent;
    deps.metrics.count(permanent ? 'EmailsFailedPermanently' : 'EmailsFailed');
    deps.log.error('email failed', { recipient, email, permanent, error: describeError(error) });
    return { outcome: permanent ? 'permanent' : 'transient', error: error instanceof Error ? error.name : 'error' };
  }
}

/** Sends one email whose failure is only reported (no outbox holds it). */
export async function reportSend(
  recipient: string,
  email: string,
  deps: { readonly log: Log; readonly metrics: Metrics },
  send: () => Promise<'sent' | 'suppressed'>,
): Promise<void> {
  await sendEmail(recipient, email, deps, send);
}
