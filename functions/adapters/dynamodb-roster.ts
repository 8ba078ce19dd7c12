import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../core/account';
import type { AccountPages } from '../core/ports';
import { itemFamilies, itemKeys, table } from '../service/table';
import { toAccount } from './dynamodb-account-store';

/** Items a scan call reads at most: a page of accounts is gathered from the table in calls of this size. */
const SCAN_PAGE = 1000;

type Key = Record<string, string>;

/** A cursor is a table position, opaque to the sandbox; one that is not this service's is refused. */
function encode(key: Key): string {
  return Buffer.from(JSON.stringify([key[table.partitionKey], key[table.sortKey]])).toString('base64url');
}

function decode(cursor: string): Key | undefined {
  try {
    const [pk, sk] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof pk !== 'string' || typeof sk !== 'string') return undefined;
    return { [table.partitionKey]: pk, [table.sortKey]: sk };
  } catch {
    return undefined;
  }
}

/**
 * The accounts in table order, a page at a time: a scan of the account items only (the filter
 * leaves other families' items out of the answer, not out of the read). An index ordered by
 * change time would read only what changed; CloudFormation adds one global index per deploy,
 * and the deploy that adds `byDomain` is this one.
 */
export class DynamoAccountPages implements AccountPages {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  isCursor(cursor: string): boolean {
    return decode(cursor) !== undefined;
  }

  async page(
    cursor: string | undefined,
    wanted: number,
    keep: (account: Account) => boolean,
  ): Promise<{ accounts: Account[]; next?: string }> {
    const accounts: Account[] = [];
    let start = cursor === undefined ? undefined : decode(cursor);
    do {
      const answer: ScanCommandOutput = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(#pk, :family) AND #sk = :item',
          ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
          ExpressionAttributeValues: { ':family': itemFamilies.account, ':item': itemKeys.account('')[table.sortKey] },
          Limit: SCAN_PAGE,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of answer.Items ?? []) {
        const account = toAccount(item);
        if (!account || !keep(account)) continue;
        accounts.push(account);
        // A full page stops at its last account: the next page starts right after it.
        if (accounts.length === wanted) return { accounts, next: encode(itemKeys.account(account.email)) };
      }
      start = answer.LastEvaluatedKey as Key | undefined;
    } while (start);
    return { accounts };
  }
}
