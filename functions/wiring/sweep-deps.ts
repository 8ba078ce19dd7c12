import { systemClock } from '../adapters/clock';
import { DynamoDomainRegistry } from '../adapters/dynamodb-registry';
import { StandardWebhookSender } from '../adapters/standard-webhook-sender';
import { storedWebhookSecret } from '../adapters/webhook-secret';
import type { WebhookSender } from '../core/ports';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import type { SweepDeps } from '../use-cases/sweep';
import { accountDeps } from './account-deps';
import { approvals } from './approval-tokens';
import { config } from './config';
import { readSecret } from './secret-reader';
import { dynamodb } from './table-deps';

if (!config.baseUrl)
  throw new ConfigError(ENV.baseUrl, 'BASE_URL is required by the sweep: its emails carry links, and no request names a host');

/** The webhook secret, `whsec_…` everywhere: WEBHOOK_SECRET (local), else the stack's secret (WEBHOOK_SECRET_ARN). */
function webhookSecret(): () => Promise<string> {
  if (config.webhookSecret) {
    const secret = config.webhookSecret;
    return async () => secret;
  }
  if (config.webhookSecretArn) return storedWebhookSecret(readSecret, config.webhookSecretArn);
  throw new ConfigError(ENV.webhookSecret, 'WEBHOOK_URL is set: WEBHOOK_SECRET or WEBHOOK_SECRET_ARN is required too');
}

const webhooks: WebhookSender | undefined = config.webhookUrl
  ? new StandardWebhookSender(config.webhookUrl, webhookSecret(), systemClock)
  : undefined;

/** The sweep's ports: accounts, the notifier that checks suppression, approvals for fresh review links, and the only webhook sender. */
export const sweepDeps: SweepDeps = {
  ...accountDeps,
  approvals,
  registry: new DynamoDomainRegistry(dynamodb, config.tableName),
  ...(webhooks ? { webhooks } : {}),
  baseUrl: config.baseUrl,
};
