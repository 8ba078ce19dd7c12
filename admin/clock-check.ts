import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { itemKeys } from '../functions/service/table';
import { Refused } from './session';

/** Beyond this, periods, reminders and expiries written from this machine's clock would be wrong. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * This machine's clock against DynamoDB's (the `Date` of one read's answer, against the middle of
 * the round trip). A change is refused when they disagree by more than a minute: the use cases take
 * the time from this machine, and a clock hours fast expires accounts hours early. The SDK would
 * quietly correct its signatures for such a clock, so nothing else would notice.
 */
export async function checkClock(client: DynamoDBDocumentClient, tableName: string, nowMs: () => number): Promise<void> {
  const command = new GetCommand({ TableName: tableName, Key: itemKeys.breaker('reputation') });
  let date: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      date = headers.date ?? headers.Date;
      return result;
    },
    { step: 'deserialize' },
  );
  const sent = nowMs();
  await client.send(command);
  const received = nowMs();
  const theirs = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(theirs))
    throw new Refused('DynamoDB’s answer carried no Date: this machine’s clock cannot be checked, so nothing was changed.');
  const skewMs = (sent + received) / 2 - theirs;
  if (Math.abs(skewMs) > MAX_CLOCK_SKEW_MS) {
    const minutes = Math.round(Math.abs(skewMs) / 60_000);
    throw new Refused(
      `This machine’s clock is ${minutes} minutes ${skewMs > 0 ? 'ahead of' : 'behind'} DynamoDB’s (${new Date(received).toISOString()} here, ${new Date(theirs).toISOString()} there): set it right (e.g. with NTP), then try again. Nothing was changed.`,
    );
  }
}
