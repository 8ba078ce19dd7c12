import { systemClock } from '../adapters/clock';
import { DynamoAccountStore } from '../adapters/dynamodb-account-store';
import { log } from '../adapters/logger';
import { metrics } from '../adapters/metrics';
import { config } from './config';
import { dynamoDocumentClient } from './dynamodb-client';

/**
 * The table's client and the accounts on it, created once per cold start: all a function that
 * only reads accounts needs (the sponsor's review page), so its bundle carries no SES client.
 */
export const dynamodb = dynamoDocumentClient(config);

export const tableDeps = {
  log,
  metrics,
  clock: systemClock,
  store: new DynamoAccountStore(dynamodb, config.tableName),
};
