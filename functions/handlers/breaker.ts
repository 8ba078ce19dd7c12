import type { Context, SNSEvent } from 'aws-lambda';
import { startInvocation } from '../adapters/invocation';
import { logger } from '../adapters/logger';
import { tripBreaker } from '../use-cases/trip-breaker';
import { breakerDeps } from '../wiring/breaker-deps';

/** SES reputation alarms, delivered by SNS: an alarm entering ALARM opens the reputation breaker. */
export async function handler(event: SNSEvent, context?: Context): Promise<void> {
  const done = startInvocation(context);
  try {
    for (const record of event.Records) {
      logger.setCorrelationId(record.Sns.MessageId);
      await tripBreaker(record.Sns.Message, breakerDeps);
    }
  } finally {
    done();
  }
}
