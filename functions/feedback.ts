import type { SNSEvent } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSuppressionList } from './adapters/dynamodb-store';
import { log, logger } from './adapters/logger';
import { flushMetrics, metrics } from './adapters/metrics';
import { config } from './settings';
import { recordFeedback } from './use-cases/record-feedback';

/** SES bounce and complaint events, delivered by SNS: each named address is suppressed. */
const dynamodb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}), maxAttempts: 3 }),
);
const deps = { suppressions: new DynamoSuppressionList(dynamodb, config.tableName), clock: { nowMs: () => Date.now() }, log, metrics };

export async function handler(event: SNSEvent): Promise<void> {
  try {
    for (const record of event.Records) {
      logger.setCorrelationId(record.Sns.MessageId);
      await recordFeedback(record.Sns.Message, deps);
    }
  } finally {
    flushMetrics();
  }
}
