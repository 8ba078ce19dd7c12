import { type SESClient, SESServiceException, SendEmailCommand } from '@aws-sdk/client-ses';
import { mailboxOf } from '../core/address';
import type { Email, Link } from '../core/email';
import { type Clock, EmailNotSentError, type Notifier, type SuppressionList } from '../core/ports';
import type { EmailOptions } from '../views/email-layout';
import { renderEmail } from '../views/emails';

/**
 * Errors after which a resend cannot succeed until an operator acts (SES v1 and v2 names).
 * Throttling (`Throttling`, `ThrottlingException`, v2 `TooManyRequestsException`) is not among
 * them: the SDK's standard retry mode retries it with exponential backoff before it gets here.
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'ConfigurationSetSendingPausedException',
  'AccountSendingPausedException',
  'SendingPausedException',
  'AccountSuspendedException',
]);

/** SES adapter: one message, one recipient (the canonical address), a text and an HTML part. */
export class SesNotifier implements Notifier {
  private client: SESClient;

  constructor(
    /** Makes the client: once, and again after any failure that is not SES's own answer. */
    private readonly newClient: () => SESClient,
    private readonly from: string,
    /** Every send names it, so bounces and complaints reach the feedback topic. */
    private readonly configurationSet?: string,
    private readonly emailOptions: EmailOptions = {},
  ) {
    this.client = newClient();
  }

  async send(to: string, email: Email, link?: Link): Promise<'sent'> {
    const content = renderEmail(email, link, this.emailOptions);
    try {
      await this.client.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: [to] },
          Message: {
            Subject: { Data: content.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: content.text, Charset: 'UTF-8' }, Html: { Data: content.html, Charset: 'UTF-8' } },
          },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
      return 'sent';
    } catch (error) {
      if (!(error instanceof SESServiceException)) this.replaceClient();
      const name = (error as { name?: string }).name ?? 'Error';
      throw new EmailNotSentError(PERMANENT.has(name), `${name}: ${(error as Error).message}`);
    }
  }

  /**
   * A failure on our side of the wire (the serializer, the network) may leave state in the
   * client: the SDK's query serializer keeps a half-built body after a throw, and the next
   * request is appended to it (README, "Security notes"). Such a client is never used again.
   */
  private replaceClient(): void {
    this.client.destroy();
    this.client = this.newClient();
  }
}

/** Sends nothing to an address that bounced permanently or complained. */
export class SuppressingNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly suppressions: SuppressionList,
    private readonly clock: Clock,
  ) {}

  async send(to: string, email: Email, link?: Link): Promise<'sent' | 'suppressed'> {
    if (await this.suppressions.isSuppressed(mailboxOf(to), this.clock.nowMs())) return 'suppressed';
    return this.inner.send(to, email, link);
  }
}
