import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoAccountStore, DynamoRateLimiter, DynamoSuppressionList } from './adapters/dynamodb-store';
import { log } from './adapters/logger';
import { metrics } from './adapters/metrics';
import { SesNotifier, SuppressingNotifier } from './adapters/ses-notifier';
import type { Clock } from './core/ports';
import { config } from './settings';

/**
 * The composition root of the handlers that touch AWS, evaluated once per cold start: the
 * clients are created here, with the endpoints config names, and the adapters wired to them.
 */
const dynamodb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}), maxAttempts: 3 }),
  { marshallOptions: { removeUndefinedValues: true } },
);
// Standard retry mode: throttling errors are retried with exponential backoff and jitter.
const ses = new SESClient({ ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}), retryMode: 'standard', maxAttempts: 5 });

const clock: Clock = { nowMs: () => Date.now() };

const suppressions = new DynamoSuppressionList(dynamodb, config.tableName);

export const runtime = {
  log,
  metrics,
  clock,
  store: new DynamoAccountStore(dynamodb, config.tableName),
  limiter: new DynamoRateLimiter(dynamodb, config.tableName),
  suppressions,
  notifier: new SuppressingNotifier(new SesNotifier(ses, config.mailFrom, config.sesConfigurationSet), suppressions),
  policy: { allowedDomainSuffixes: config.allowedDomainSuffixes, deniedDomains: config.deniedDomains },
  emailLimits: { cooldownSeconds: config.emailCooldownSeconds, perDay: config.emailsPerDay },
  verifyTtlSeconds: config.verificationTtlSeconds,
  sponsorRequestsPerDay: config.sponsorRequestsPerDay,
  contractorAccessDays: config.contractorAccessDays,
  ...(config.sandboxUrl ? { signInUrl: config.sandboxUrl } : {}),
};
