import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';

/** Every item of the table whose partition key starts with `prefix`, through every page (the table also holds the .gov registry). */
export async function scanItems(client: DynamoDBDocumentClient, tableName: string, prefix = ''): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []).filter((item) => String(item.pk).startsWith(prefix)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
