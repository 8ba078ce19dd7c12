import type { SNSEvent } from 'aws-lambda';
import { dynamoDocumentClient } from './adapters/aws-clients';
import { DynamoSuppressionList } from './adapters/dynamodb-store';
import { log, logger } from './adapters/logger';
import { flushMetrics, metrics } from './adapters/metrics';
import { config } from './settings';
import { recordFeedback } from './use-cases/record-feedback';

/** SES bounce and complaint events, delivered by SNS: each named address is suppressed. */
const deps = {
  suppressions: new DynamoSuppressionList(dynamoDocumentClient(config), config.tableName),
  clock: { nowMs: () => Date.now() },
  log,
  metrics,
};

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
