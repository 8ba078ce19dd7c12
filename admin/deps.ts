import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../functions/adapters/dynamodb-account-store';
import { DynamoReputationBreaker } from '../functions/adapters/dynamodb-breaker';
import { DynamoSponsorDirectory } from '../functions/adapters/dynamodb-sponsors';
import { DynamoSuppressionList } from '../functions/adapters/dynamodb-suppressions';
import { JoseApprovalTokens } from '../functions/adapters/jose-approval-tokens';
import { SesNotifier, SuppressingNotifier } from '../functions/adapters/ses-notifier';
import { fileKeys, secretKeys } from '../functions/adapters/signing-keys';
import { StandardWebhookSender } from '../functions/adapters/standard-webhook-sender';
import { storedWebhookSecret } from '../functions/adapters/webhook-secret';
import type { Log, Metrics } from '../functions/core/ports';
import { loadConfig } from '../functions/service/config';
import type { OperateDeps } from '../functions/use-cases/operate-account';
import type { SweepDeps } from '../functions/use-cases/sweep';
import { secretsManagerClient, sesClient } from '../functions/wiring/aws-clients';

/** The service's own configuration as `npm start` would see it, with its local defaults. */
function configFor(tableName: string, env: NodeJS.ProcessEnv) {
  return loadConfig({
    MAIL_FROM: 'no-reply@sandbox.localhost',
    BASE_URL: `http://localhost:${env.PORT || 3000}`,
    ...env,
    TABLE_NAME: tableName,
  });
}

/**
 * The sweep's ports for the operator (`sweep`, `resend`): the operator's ones plus sponsors,
 * approval tokens from the local key file, the breaker, and the webhook sender when a receiver is
 * configured (its secret: WEBHOOK_SECRET, else the one under DATA_DIR).
 */
export function sweepDepsFor(client: DynamoDBDocumentClient, tableName: string, env: NodeJS.ProcessEnv, log: Log, where: Where): SweepDeps {
  const config = configFor(tableName, env);
  const dataDir = resolve(env.DATA_DIR || '.data');
  const base = operateDeps(client, tableName, env, log, where);
  const secretFile = join(dataDir, 'webhook-secret');
  const secrets = () => secretsManagerClient({});
  // In AWS the stack's secrets (read with the operator's credentials); locally the files under DATA_DIR.
  const secret: (() => Promise<string>) | undefined = config.webhookSecretArn
    ? storedWebhookSecret(secrets, config.webhookSecretArn)
    : (() => {
        const value = config.webhookSecret ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
        return value ? async () => value : undefined;
      })();
  const keys = config.signingKeysSecretArn
    ? secretKeys(secrets(), config.signingKeysSecretArn)
    : fileKeys(config.signingKeysFile ?? join(dataDir, 'signing-keys.json'));
  return {
    ...base,
    sponsors: new DynamoSponsorDirectory(client, tableName),
    sponsorLinkTtlSeconds: config.sponsorLinkTtlSeconds,
    approvals: new JoseApprovalTokens(keys, config.approvalTtlSeconds),
    breaker: new DynamoReputationBreaker(client, tableName),
    verifyTtlSeconds: config.verificationTtlSeconds,
    ...(config.webhookUrl && secret ? { webhooks: new StandardWebhookSender(config.webhookUrl, secret, base.clock) } : {}),
  };
}

/** Who acts: `--as`, else the person logged in to this machine. */
export function operatorName(as: string | undefined): string {
  return as?.trim() || userInfo().username;
}

/**
 * The use cases' ports for the operator: the same adapters the functions use, on the target's
 * DynamoDB, and SES at `SES_ENDPOINT`, else the running npm start's on `SES_PORT` (8005). An email
 * that cannot go now stays in the account's outbox, for the sweep.
 */
/** Where the operator's commands act: the laptop's emulators, or the deployed stack. */
export type Where = 'local' | 'aws';

export function operateDeps(
  client: DynamoDBDocumentClient,
  tableName: string,
  env: NodeJS.ProcessEnv,
  log: Log,
  where: Where,
): OperateDeps {
  const config = configFor(tableName, env);
  // In AWS (no local DynamoDB endpoint named) SES is AWS's own; locally the running npm start's.
  const sesEndpoint = config.sesEndpoint ?? (where === 'local' ? `http://127.0.0.1:${env.SES_PORT || 8005}` : undefined);
  const clock = { nowMs: () => Date.now() };
  const mailer = new SesNotifier(
    () => sesClient({ sesEndpoint }),
    config.mailFrom,
    // In AWS the stack's configuration set, as every function names it: bounces and complaints of
    // the operator's emails reach the feedback topic too.
    config.sesConfigurationSet,
    config.supportEmail ? { supportEmail: config.supportEmail } : {},
  );
  const metrics: Metrics = { count: () => undefined };
  return {
    store: new DynamoAccountStore(client, tableName),
    notifier: new SuppressingNotifier(mailer, new DynamoSuppressionList(client, tableName), clock),
    clock,
    log,
    metrics,
    delivery: { retrySeconds: config.retrySeconds, maxAttempts: config.maxAttempts },
    events: config.webhookUrl !== undefined,
    lifecycle: { accessSeconds: config.contractorAccessSeconds, renewalNoticeSeconds: config.renewalNoticeSeconds },
    ...(config.sandboxUrl ? { signInUrl: config.sandboxUrl } : {}),
    baseUrl: config.baseUrl ?? 'http://localhost:3000',
  };
}
