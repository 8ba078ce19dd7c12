import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Account, HistoryEntry } from '../functions/core/account';
import { type ItemFamily, itemFamilies, itemKeys, table } from '../functions/service/table';

/**
 * What the operator reads and lifts that no person's request touches: whole families of items
 * (a scan, for unfiltered listings only), an account's archived history, suppressions and the
 * breaker. State changes of accounts go through the use cases, never through here.
 */
export class OperatorRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every item of a family, page by page (streamed: a page at a time is held). */
  async *family(family: ItemFamily): AsyncGenerator<Record<string, unknown>> {
    let start: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(#pk, :family) AND #sk = :kind',
          ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
          ExpressionAttributeValues: { ':family': itemFamilies[family], ':kind': SORT_KEYS[family] },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) yield item;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async *accounts(): AsyncGenerator<Account> {
    for await (const item of this.family('account')) {
      const { [table.partitionKey]: _pk, [table.sortKey]: _sk, dueShard: _shard, writeId: _write, ...account } = item;
      yield account as unknown as Account;
    }
  }

  /** The account's history entries moved off the item (oldest first). */
  async archivedHistory(email: string): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :history)',
          ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
          ExpressionAttributeValues: { ':pk': itemKeys.account(email)[table.partitionKey], ':history': 'HISTORY#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) entries.push(...((item.history as HistoryEntry[]) ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async breaker(name = 'reputation'): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.breaker(name), ConsistentRead: true }),
    );
    return Item;
  }
}

/** The sort key of each family's main item (the scan skips history archives and request rows). */
const SORT_KEYS: Readonly<Record<ItemFamily, string>> = {
  account: 'ACCOUNT',
  limit: '',
  suppression: 'SUPPRESSED',
  breaker: 'BREAKER',
  sponsor: 'SPONSOR',
  registry: 'SNAPSHOT',
};
