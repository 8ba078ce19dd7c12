import { systemClock } from '../adapters/clock';
import { StandardWebhookSender } from '../adapters/standard-webhook-sender';
import { storedWebhookSecret } from '../adapters/webhook-secret';
import type { WebhookSender } from '../core/ports';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import { config } from './config';
import { readSecret } from './secret-reader';

/** The webhook secret, `whsec_…` everywhere: WEBHOOK_SECRET (local), else the stack's secret (WEBHOOK_SECRET_ARN). */
function webhookSecret(): () => Promise<string> {
  if (config.webhookSecret) {
    const secret = config.webhookSecret;
    return async () => secret;
  }
  if (config.webhookSecretArn) return storedWebhookSecret(readSecret, config.webhookSecretArn);
  throw new ConfigError(ENV.webhookSecret, 'WEBHOOK_URL is set: WEBHOOK_SECRET or WEBHOOK_SECRET_ARN is required too');
}

/**
 * The sandbox's receiver, for the functions that write its events (the sweep, and those whose
 * changes send theirs at once): none without WEBHOOK_URL. The secret is read when the first event goes.
 */
export const webhookDeps: { readonly webhooks?: WebhookSender } = config.webhookUrl
  ? { webhooks: new StandardWebhookSender(config.webhookUrl, webhookSecret(), systemClock) }
  : {};
