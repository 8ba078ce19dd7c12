import { DynamoSponsorDirectory } from '../adapters/dynamodb-sponsors';
import { DynamoSuppressionList } from '../adapters/dynamodb-suppressions';
import type { FeedbackDeps } from '../use-cases/record-feedback';
import { config } from './config';
import { lifecycle } from './lifecycle-policy';
import { dynamodb, tableDeps } from './table-deps';

/**
 * The feedback function's ports: suppressions, the account of a mailbox that bounced (its
 * suspension records the sandbox's event; the sweep, which holds the webhook secret, sends it),
 * and a sponsor's requests (their contractors' notices wait in the outbox for the sweep).
 */
export const feedbackDeps: FeedbackDeps = {
  ...tableDeps,
  suppressions: new DynamoSuppressionList(dynamodb, config.tableName),
  sponsors: new DynamoSponsorDirectory(dynamodb, config.tableName),
  bounceSuppressionDays: config.bounceSuppressionDays,
  delivery: { retrySeconds: config.retrySeconds, maxAttempts: config.maxAttempts },
  events: config.webhookUrl !== undefined,
  lifecycle,
};
