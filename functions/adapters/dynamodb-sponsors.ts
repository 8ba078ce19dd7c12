import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { SponsorDirectory } from '../core/ports';
import type { SponsorRecord } from '../core/sign-in-code';
import { itemFamilies, itemKeys, SPONSORED_REQUEST_PREFIX, table } from '../service/table';
import { conditionalPut, WRITE_ID } from './dynamodb-conditional';

/**
 * A sponsor's partition (`SPONSOR#<mailbox>`): the record with the current sign-in code (hashed),
 * and one small row per request that named them; every read is a strongly consistent read of the
 * partition.
 */
export class DynamoSponsorDirectory implements SponsorDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(mailbox: string): Promise<SponsorRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.sponsor(mailbox), ConsistentRead: true }),
    );
    return toRecord(Item);
  }

  put(next: SponsorRecord, expectedVersion: number | null): Promise<boolean> {
    return conditionalPut(this.client, this.tableName, itemKeys.sponsor(next.mailbox), (writeId) =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.sponsor(next.mailbox), ...next, [WRITE_ID]: writeId },
          ...(expectedVersion === null
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': table.partitionKey } }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      ),
    );
  }

  async addRequest(mailbox: string, requestId: string, email: string): Promise<void> {
    // The same row each time: writing it again changes nothing. Not `requestId`: that attribute
    // would put the row in the accounts' request index.
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.sponsoredRequest(mailbox, requestId), request: requestId, email } }),
    );
  }

  async requestOf(mailbox: string, requestId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.sponsoredRequest(mailbox, requestId), ConsistentRead: true }),
    );
    return typeof Item?.email === 'string' ? Item.email : undefined;
  }

  async requests(mailbox: string): Promise<{ requestId: string; email: string }[]> {
    const rows: { requestId: string; email: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
          ExpressionAttributeValues: { ':pk': itemKeys.sponsor(mailbox)[table.partitionKey], ':prefix': SPONSORED_REQUEST_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) rows.push({ requestId: String(item.request), email: String(item.email) });
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }
}

function toRecord(item: Record<string, unknown> | undefined): SponsorRecord | undefined {
  if (!item || !String(item[table.partitionKey]).startsWith(itemFamilies.sponsor)) return undefined;
  const { [table.partitionKey]: _pk, [table.sortKey]: _sk, [WRITE_ID]: _write, ...record } = item;
  return record as unknown as SponsorRecord;
}
