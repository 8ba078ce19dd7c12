import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StackModel } from './stack-model';

/** Each index's partition key, by index name (what `dynamodb:LeadingKeys` means for a query on it). */
export function indexKeys(model: StackModel): Record<string, string> {
  const indexes = (model.table.createTable.GlobalSecondaryIndexes ?? []) as {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: string }[];
  }[];
  return Object.fromEntries(
    indexes.map((index) => [index.IndexName, index.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName]),
  );
}

/** The table exactly as the template defines it (keys, attributes, indexes), in the emulator. */
export async function createTable(endpoint: string, model: StackModel): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' },
  });
  const definition = model.table.createTable as Record<string, unknown>;
  await client.send(
    new CreateTableCommand({
      TableName: model.table.name,
      AttributeDefinitions: definition.AttributeDefinitions as never,
      KeySchema: definition.KeySchema as never,
      BillingMode: 'PAY_PER_REQUEST',
      ...(definition.GlobalSecondaryIndexes
        ? {
            GlobalSecondaryIndexes: (definition.GlobalSecondaryIndexes as Record<string, unknown>[]).map((index) => ({
              IndexName: index.IndexName as string,
              KeySchema: index.KeySchema as never,
              Projection: index.Projection as never,
            })),
          }
        : {}),
    }),
  );
  client.destroy();
}
