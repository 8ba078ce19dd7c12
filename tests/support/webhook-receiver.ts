import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import type { AccessEvent } from '../../functions/core/outbox';
import { type LoopbackServer, loopbackServer } from '../../infra/rehearsal/loopback-server';

/** The sandbox's side: a real HTTP server that answers 500 on cue, and records what it was sent. */
export class WebhookReceiver {
  readonly received: { id: string; headers: IncomingHttpHeaders; body: string; answered: number }[] = [];
  failNext = 0;
  /** How long it takes to answer (a slow receiver). */
  delayMs = 0;
  /** Requests it has not answered yet. */
  open = 0;
  private server?: LoopbackServer;
  url = '';

  async start(): Promise<void> {
    this.server = await loopbackServer((req, body, res) => {
      const answered = this.failNext > 0 ? 500 : 204;
      if (this.failNext > 0) this.failNext--;
      this.received.push({ id: String(req.headers['webhook-id']), headers: req.headers, body: body.toString('utf8'), answered });
      this.open += 1;
      setTimeout(() => {
        this.open -= 1;
        if (!res.destroyed) res.writeHead(answered).end();
      }, this.delayMs);
    });
    this.url = `${this.server.origin}/hooks`;
  }

  /** Events acknowledged, verified with the Standard Webhooks reference implementation. */
  acknowledged(secret: string): AccessEvent[] {
    const webhook = new Webhook(secret);
    return this.received
      .filter((request) => request.answered < 300)
      .map((request) => webhook.verify(request.body, request.headers as Record<string, string>) as AccessEvent);
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
