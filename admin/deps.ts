import { userInfo } from 'node:os';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountStore } from '../functions/adapters/dynamodb-account-store';
import { DynamoSuppressionList } from '../functions/adapters/dynamodb-suppressions';
import { SesNotifier, SuppressingNotifier } from '../functions/adapters/ses-notifier';
import type { Log, Metrics } from '../functions/core/ports';
import { loadConfig } from '../functions/service/config';
import type { OperateDeps } from '../functions/use-cases/operate-account';
import { sesClient } from '../functions/wiring/aws-clients';

/** Who acts: `--as`, else the person logged in to this machine. */
export function operatorName(as: string | undefined): string {
  return as?.trim() || userInfo().username;
}

/**
 * The use cases' ports for the operator: the same adapters the functions use, on the target's
 * DynamoDB, and SES at `SES_ENDPOINT`, else the running npm start's on `SES_PORT` (8005). An email
 * that cannot go now stays in the account's outbox, for the sweep.
 */
export function operateDeps(client: DynamoDBDocumentClient, tableName: string, env: NodeJS.ProcessEnv, log: Log): OperateDeps {
  const config = loadConfig({ MAIL_FROM: 'no-reply@sandbox.localhost', ...env, TABLE_NAME: tableName });
  const sesEndpoint = env.SES_ENDPOINT || `http://127.0.0.1:${env.SES_PORT || 8005}`;
  const clock = { nowMs: () => Date.now() };
  const mailer = new SesNotifier(
    () => sesClient({ sesEndpoint }),
    config.mailFrom,
    undefined,
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
  };
}
