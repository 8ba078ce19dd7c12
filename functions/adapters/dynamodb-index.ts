import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type IndexName, table } from '../service/table';

/** The first item an index holds under `value` (eventually consistent: a write after it is conditional on what was read). */
export async function firstInIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: IndexName,
  value: string,
): Promise<Record<string, unknown> | undefined> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index,
      KeyConditionExpression: '#key = :value',
      ExpressionAttributeNames: { '#key': table.indexes[index].partitionKey },
      ExpressionAttributeValues: { ':value': value },
      Limit: 1,
    }),
  );
  return Items?.[0];
}
