import { DynamoDomainRegistry } from '../adapters/dynamodb-registry';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import type { SweepDeps } from '../use-cases/sweep';
import { accountDeps } from './account-deps';
import { approvals } from './approval-tokens';
import { config } from './config';
import { dynamodb } from './table-deps';
import { webhookDeps } from './webhook-sender';

if (!config.baseUrl)
  throw new ConfigError(ENV.baseUrl, 'BASE_URL is required by the sweep: its emails carry links, and no request names a host');

/** The sweep's ports: accounts, the notifier that checks suppression, approvals for fresh review links, and the webhook sender that retries what was not sent at once. */
export const sweepDeps: SweepDeps = {
  ...accountDeps,
  approvals,
  registry: new DynamoDomainRegistry(dynamodb, config.tableName),
  ...webhookDeps,
  baseUrl: config.baseUrl,
};
