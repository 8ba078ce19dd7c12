import type { Context, SNSEvent } from 'aws-lambda';
import { withDeadline } from '../service/deadline';
import { startInvocation } from './invocation';
import { logger } from './logger';

/**
 * The primary adapter for functions that SNS invokes: each record's message goes to `each`, in
 * order, logged under the message's id. A failure throws, so Lambda retries the event and,
 * failing that, its dead-letter queue keeps it (`each` must be idempotent: SNS delivers at least once).
 */
export function snsHandler(each: (message: string) => Promise<void>): (event: SNSEvent, context?: Context) => Promise<void> {
  return async (event, context) => {
    const done = startInvocation(context);
    try {
      await withDeadline(context, async () => {
        for (const record of event.Records) {
          logger.setCorrelationId(record.Sns.MessageId);
          await each(record.Sns.Message);
        }
      });
    } finally {
      done();
    }
  };
}
