import { Webhook } from 'standardwebhooks';
import type { AccessEvent } from '../core/outbox';
import type { Clock, WebhookSender } from '../core/ports';
import { timeLeftMs } from '../service/deadline';

/** How long the receiver has to answer the sweep (docs/design.md §7); a send a person waits on asks less. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs one event to the sandbox, signed per the Standard Webhooks specification (the
 * `standardwebhooks` package): `webhook-id` (the delivery's id, the same on every retry),
 * `webhook-timestamp`, `webhook-signature`. A 2xx acknowledges; a redirect is not followed (it
 * counts as a failure); no answer within 10 s (or the shorter wait asked, or by the invocation's deadline) is a failure. Never throws.
 */
export class StandardWebhookSender implements WebhookSender {
  private signer: Promise<Webhook> | undefined;

  constructor(
    private readonly url: string,
    /** The `whsec_…` secret; read once, when first needed (again after a failure). */
    private readonly secret: () => Promise<string>,
    private readonly clock: Clock,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  async send(
    id: string,
    event: AccessEvent,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<{ outcome: 'delivered' | 'transient'; error?: string }> {
    const timeoutMs = Math.min(this.timeoutMs, options.timeoutMs ?? this.timeoutMs);
    const payload = JSON.stringify(event);
    const at = new Date(this.clock.nowMs());
    try {
      this.signer ??= this.secret().then((secret) => new Webhook(secret));
      const signature = (await this.signer).sign(id, at, payload);
      const response = await fetch(this.url, {
        method: 'POST',
        redirect: 'manual',
        // Never past the invocation's deadline either: a run ends on time however the receiver behaves.
        signal: AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, timeLeftMs() ?? timeoutMs))),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'sandbox-gatekeeper-webhooks',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { outcome: 'delivered' };
      return { outcome: 'transient', error: `HTTP ${response.status}` };
    } catch (error) {
      this.signer = undefined;
      return { outcome: 'transient', error: failure(error) };
    }
  }
}

/**
 * What went wrong, for the delivery's record: the error's name and message, and the code fetch's
 * cause gives (`ECONNREFUSED`, …). The secret never reaches it: reading it (adapters/webhook-secret.ts)
 * and parsing it fail with messages that do not show it.
 */
function failure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return `${error.name}: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`;
}
