import { systemClock } from '../adapters/clock';
import { DynamoReputationBreaker } from '../adapters/dynamodb-breaker';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import type { BreakerDeps } from '../use-cases/trip-breaker';
import { config } from './config';
import { dynamoDocumentClient } from './dynamodb-client';

/** The breaker function's ports: it only ever writes the breaker item. */
export const breakerDeps: BreakerDeps = {
  breaker: new DynamoReputationBreaker(dynamoDocumentClient(config), config.tableName),
  clock: systemClock,
  log,
  metrics,
};
