import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { type LoopbackServer, loopbackServer } from './loopback-server';

export interface VerifiedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * The outside world the stack talks to over HTTP: the sandbox's webhook receiver, which verifies
 * every delivery with `standardwebhooks` and the stack's own secret exactly as the README tells the
 * sandbox to (401 when it does not verify), CloudFormation's pre-signed response URLs for custom
 * resources, and the .gov registry's published file.
 */
export class SandboxReceiver {
  readonly events: VerifiedEvent[] = [];
  readonly refused: string[] = [];
  /** Webhook deliveries still to answer 503, unread (the sandbox down for a moment). */
  down = 0;
  /** What the registry's URL serves (GET): the snapshot the stack carries, until a journey changes it. */
  registryCsv = readFileSync(new URL('../../registry/current-full.csv', import.meta.url), 'utf8');
  /** The receiver's clock: the rehearsal's. */
  clock: () => number = () => Date.now();
  origin = '';
  private server?: LoopbackServer;
  private readonly responses = new Map<string, (body: Record<string, unknown>) => void>();

  constructor(private readonly secret: () => string | undefined) {}

  async start(): Promise<void> {
    this.server = await loopbackServer((req, raw, res) => {
      const body = raw.toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'GET' && path.endsWith('/current-full.csv')) {
        res.writeHead(200, { 'content-type': 'text/csv' }).end(this.registryCsv);
        return;
      }
      if (req.method === 'PUT' && path.startsWith('/cloudformation/')) {
        this.responses.get(path)?.(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200).end();
        return;
      }
      if (this.down > 0) {
        this.down -= 1;
        res.writeHead(503).end();
        return;
      }
      res.writeHead(this.verify(body, req.headers as Record<string, string>) ? 204 : 401).end();
    });
    this.origin = this.server.origin;
  }

  private verify(body: string, headers: Record<string, string>): boolean {
    const secret = this.secret();
    try {
      if (!secret) throw new Error('the stack has no webhook secret');
      const webhook = new Webhook(secret);
      // standardwebhooks checks the timestamp against Date.now(), synchronously: read at the rehearsal's clock.
      const realNow = Date.now;
      const at = this.clock();
      Date.now = () => at;
      let event: { type: string; data: Record<string, unknown> };
      try {
        event = webhook.verify(body, headers) as typeof event;
      } finally {
        Date.now = realNow;
      }
      if (!this.events.some((known) => known.id === headers['webhook-id']))
        this.events.push({ id: headers['webhook-id']!, type: event.type, data: event.data });
      return true;
    } catch (error) {
      this.refused.push(`${headers['webhook-id'] ?? '?'}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Runs `deploy` with a fresh pre-signed response URL and resolves with what was PUT there. */
  async expectCloudFormationResponse(deploy: (responseUrl: string) => Promise<void>): Promise<Record<string, unknown>> {
    const path = `/cloudformation/${randomUUID()}`;
    const answered = new Promise<Record<string, unknown>>((resolve) => this.responses.set(path, resolve));
    await deploy(`${this.origin}${path}?X-Amz-Signature=rehearsal`);
    const timeout = new Promise<Record<string, unknown>>((resolve) =>
      setTimeout(() => resolve({ Status: 'FAILED', Reason: 'no response was PUT to the ResponseURL' }), 2_000).unref(),
    );
    const body = await Promise.race([answered, timeout]);
    this.responses.delete(path);
    return body;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
