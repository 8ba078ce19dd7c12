import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../core/errors';
import { mayHaveLanded } from './dependency-failures';

/** Runs a conditional write: true when it landed, false when its condition did not hold. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** The attribute that names the write an item last received. */
export const WRITE_ID = 'writeId';

/** Said when a write may have landed and nobody can tell: "nothing was changed" would be a guess. */
export const MAYBE_CHANGED =
  'The service is briefly unavailable, and your change may have been made. In a few seconds, look at where it stands before trying again.';

/**
 * The read that was to tell whether a write landed failed too: when DynamoDB is what failed, a
 * 503 that does not claim nothing was changed (`before`: what happened to the write, for the log).
 */
export function undecided(readFailure: unknown, before: string): unknown {
  if (!(readFailure instanceof ServiceUnavailableError)) return readFailure;
  return new ServiceUnavailableError(MAYBE_CHANGED, readFailure.retryAfterSeconds, `${before}; then ${readFailure.failure}`);
}

/**
 * A conditional put that knows its own write when it sees it again. Every write carries a new
 * write id, and whenever the answer cannot be taken at its word, a consistent read of the item
 * says whether it holds this write id (the write landed: true):
 * - a failed condition: the SDK may have retried a write that had landed, and the retry fails its
 *   own condition (anything but this write id: it lost, false);
 * - no answer at all (the SDK's retries spent, a timeout, the invocation's deadline, a server
 *   fault; not throttling or a connection never made): the write may have landed. Not holding it: the dependency's 503 stands; the read failing too: a 503 that
 *   says the change may have been made.
 */
export async function conditionalPut(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  write: (writeId: string) => Promise<unknown>,
): Promise<boolean> {
  const writeId = randomUUID();
  const holdsThisWrite = async () => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#id',
        ExpressionAttributeNames: { '#id': WRITE_ID },
      }),
    );
    return Item?.[WRITE_ID] === writeId;
  };
  const landed = (before: string) =>
    holdsThisWrite().catch((readFailure: unknown) => {
      throw undecided(readFailure, before);
    });
  try {
    await write(writeId);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return landed('condition failed');
    if (!(error instanceof ServiceUnavailableError) || !mayHaveLanded(error)) throw error;
    if (await landed(error.failure)) return true;
    throw error;
  }
}
