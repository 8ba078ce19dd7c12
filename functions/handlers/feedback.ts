import type { Context, SNSEvent } from 'aws-lambda';
import { startInvocation } from '../adapters/invocation';
import { logger } from '../adapters/logger';
import { recordFeedback } from '../use-cases/record-feedback';
import { feedbackDeps } from '../wiring/feedback-deps';

/** SES bounce and complaint events, delivered by SNS: each named address is suppressed. */
export async function handler(event: SNSEvent, context?: Context): Promise<void> {
  const done = startInvocation(context);
  try {
    for (const record of event.Records) {
      logger.setCorrelationId(record.Sns.MessageId);
      await recordFeedback(record.Sns.Message, feedbackDeps);
    }
  } finally {
    done();
  }
}
