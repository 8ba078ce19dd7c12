import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { AccessEvent } from '../../functions/core/outbox';

/** The sandbox's side: a real HTTP server that answers 500 on cue, and records what it was sent. */
export class WebhookReceiver {
  readonly received: { id: string; headers: IncomingHttpHeaders; body: string; answered: number }[] = [];
  failNext = 0;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answered = this.failNext > 0 ? 500 : 204;
        if (this.failNext > 0) this.failNext--;
        this.received.push({
          id: String(req.headers['webhook-id']),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  /** Events acknowledged, verified with the Standard Webhooks reference implementation. */
  acknowledged(secret: string): AccessEvent[] {
    const webhook = new Webhook(secret);
    return this.received
      .filter((request) => request.answered < 300)
      .map((request) => webhook.verify(request.body, request.headers as Record<string, string>) as AccessEvent);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
