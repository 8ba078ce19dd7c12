import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

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

/**
 * A conditional put that knows its own write when it sees it again. When DynamoDB applies a write
 * but the answer is lost, the SDK retries it, and the retry fails its own condition: taken at its
 * word, that reads as "someone else won". So every write carries a new write id, and a failed
 * condition is checked with a consistent read of the item: holding this write id, the write
 * landed (true); anything else, it lost (false).
 */
export async function conditionalPut(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  write: (writeId: string) => Promise<unknown>,
): Promise<boolean> {
  const writeId = randomUUID();
  try {
    await write(writeId);
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
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
  }
}
