import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { systemClock } from '../adapters/clock';
import { StandardWebhookSender } from '../adapters/standard-webhook-sender';
import type { WebhookSender } from '../core/ports';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import type { SweepDeps } from '../use-cases/sweep';
import { accountDeps } from './account-deps';
import { approvals } from './approval-tokens';
import { secretsManagerClient } from './aws-clients';
import { config } from './config';

if (!config.baseUrl)
  throw new ConfigError(ENV.baseUrl, 'BASE_URL is required by the sweep: its emails carry links, and no request names a host');

/** The webhook key: WEBHOOK_SECRET (`whsec_…`, local), else the stack's secret, whose value is the raw key. */
function webhookSecret(): () => Promise<string | Uint8Array> {
  if (config.webhookSecret) {
    const secret = config.webhookSecret;
    return async () => secret;
  }
  if (config.webhookSecretArn) {
    const arn = config.webhookSecretArn;
    return async () => {
      const { SecretString } = await secretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: arn }));
      if (!SecretString) throw new Error('WEBHOOK_SECRET_ARN: the secret has no string value');
      return SecretString.startsWith('whsec_') ? SecretString : new TextEncoder().encode(SecretString);
    };
  }
  throw new ConfigError(ENV.webhookSecret, 'WEBHOOK_URL is set: WEBHOOK_SECRET or WEBHOOK_SECRET_ARN is required too');
}

const webhooks: WebhookSender | undefined = config.webhookUrl
  ? new StandardWebhookSender(config.webhookUrl, webhookSecret(), systemClock)
  : undefined;

/** The sweep's ports: accounts, sponsors, the notifier that checks suppression, approvals for fresh review links, and the only webhook sender. */
export const sweepDeps: SweepDeps = {
  ...accountDeps,
  approvals,
  ...(webhooks ? { webhooks } : {}),
  baseUrl: config.baseUrl,
};
