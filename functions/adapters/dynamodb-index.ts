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

/** Up to `limit` items of one partition of the due index that are due by `nowSeconds`, soonest first. */
export function dueInIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  shard: string,
  nowSeconds: number,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const due = table.indexes.byDue;
  return itemsInIndex(
    client,
    tableName,
    'byDue',
    {
      expression: '#shard = :shard AND #due <= :now',
      names: { '#shard': due.partitionKey, '#due': due.sortKey },
      values: { ':shard': shard, ':now': nowSeconds },
    },
    limit,
  );
}
