import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
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

export interface IndexCondition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** Up to `limit` items (or all) an index holds under a key condition, in its order, page by page (eventually consistent). */
export async function itemsInIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: IndexName,
  condition: IndexCondition,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
        ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items;
}
