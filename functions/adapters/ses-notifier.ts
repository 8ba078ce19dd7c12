import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Notice, Notifier } from '../core/ports';
import { renderNotice } from '../views/emails';

/** SES adapter: one message, one recipient (the canonical address), a text and an HTML part. */
export class SesNotifier implements Notifier {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  async send(to: string, notice: Notice): Promise<void> {
    const content = renderNotice(notice);
    await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: content.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: content.text, Charset: 'UTF-8' }, Html: { Data: content.html, Charset: 'UTF-8' } },
        },
      }),
    );
  }
}
