import type { SNSEvent } from 'aws-lambda';
import { logger } from '../adapters/logger';
import { flushMetrics } from '../adapters/metrics';
import { recordFeedback } from '../use-cases/record-feedback';
import { feedbackDeps } from '../wiring/feedback-deps';

/** SES bounce and complaint events, delivered by SNS: each named address is suppressed. */
export async function handler(event: SNSEvent): Promise<void> {
  try {
    for (const record of event.Records) {
      logger.setCorrelationId(record.Sns.MessageId);
      await recordFeedback(record.Sns.Message, feedbackDeps);
    }
  } finally {
    flushMetrics();
  }
}
