import { systemClock } from '../adapters/clock';
import { DynamoReputationBreaker } from '../adapters/dynamodb-breaker';
import { DynamoMailboxAllowances, DynamoRateLimiter } from '../adapters/dynamodb-counters';
import { DynamoSponsorDirectory } from '../adapters/dynamodb-sponsors';
import { DynamoSuppressionList } from '../adapters/dynamodb-suppressions';
import { SesNotifier, SuppressingNotifier } from '../adapters/ses-notifier';
import { config } from './config';
import { lifecycle } from './lifecycle-policy';
import { sesClient } from './ses-client';
import { dynamodb, tableDeps } from './table-deps';

/**
 * The composition root of the handlers that send mail, evaluated once per cold start: the
 * clients are created here, with the endpoints config names, and the adapters wired to them.
 */
const suppressions = new DynamoSuppressionList(dynamodb, config.tableName);

const mailer = new SesNotifier(
  () => sesClient(config),
  config.mailFrom,
  config.sesConfigurationSet,
  config.supportEmail ? { supportEmail: config.supportEmail } : {},
);

export const accountDeps = {
  ...tableDeps,
  sponsors: new DynamoSponsorDirectory(dynamodb, config.tableName),
  limiter: new DynamoRateLimiter(dynamodb, config.tableName),
  allowances: new DynamoMailboxAllowances(dynamodb, config.tableName),
  breaker: new DynamoReputationBreaker(dynamodb, config.tableName),
  suppressions,
  mailer,
  notifier: new SuppressingNotifier(mailer, suppressions, systemClock),
  policy: { allowedDomainSuffixes: config.allowedDomainSuffixes, deniedDomains: config.deniedDomains },
  emailLimits: { cooldownSeconds: config.emailCooldownSeconds, perDay: config.emailsPerDay },
  verifyTtlSeconds: config.verificationTtlSeconds,
  sponsorRequestsPerDay: config.sponsorRequestsPerDay,
  budgets: {
    anonymousEmailsPerHour: config.anonymousEmailsPerHour,
    newAddressEmailsPerDomainPerHour: config.newAddressEmailsPerDomainPerHour,
    newAddressSharePerClient: config.budgetSharePerClient,
  },
  deniedSponsorMailboxes: config.deniedSponsorMailboxes,
  delivery: { retrySeconds: config.retrySeconds, maxAttempts: config.maxAttempts },
  /** Webhook events are recorded only when the sandbox has a receiver. */
  events: config.webhookUrl !== undefined,
  lifecycle,
  ...(config.sandboxUrl ? { signInUrl: config.sandboxUrl } : {}),
};
