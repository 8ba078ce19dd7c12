import { systemClock } from '../adapters/clock';
import { DynamoSuppressionList } from '../adapters/dynamodb-suppressions';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import type { FeedbackDeps } from '../use-cases/record-feedback';
import { dynamoDocumentClient } from './aws-clients';
import { config } from './config';

/** The feedback function's ports: it only ever writes suppressions. */
export const feedbackDeps: FeedbackDeps = {
  suppressions: new DynamoSuppressionList(dynamoDocumentClient(config), config.tableName),
  bounceSuppressionDays: config.bounceSuppressionDays,
  clock: systemClock,
  log,
  metrics,
};
