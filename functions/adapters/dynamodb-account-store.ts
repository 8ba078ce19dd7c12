import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Account } from '../core/account';
import { splitHistory } from '../core/account-history';
import { ServiceUnavailableError } from '../core/errors';
import type { AccountStore } from '../core/ports';
import { DUE_SHARD, type IndexName, itemFamilies, itemKeys, table } from '../service/table';
import { mayHaveLanded } from './dependency-failures';
import { conditionally, conditionalPut, undecided, WRITE_ID } from './dynamodb-conditional';
import { dueInIndex, firstInIndex, itemsInIndex } from './dynamodb-index';

/**
 * DynamoDB adapter. Single-item conditional writes only: dynalite has no transactions, and one
 * item per account means one write can never leave a record half-done.
 */

const DUE = table.indexes.byDue;

/** An account item as read: only the account family (an index may also hold other families' items). */
export function toAccount(item: Record<string, unknown> | undefined): Account | undefined {
  if (!item || !String(item[table.partitionKey]).startsWith(itemFamilies.account)) return undefined;
  const { [table.partitionKey]: _pk, [table.sortKey]: _sk, [DUE.partitionKey]: _shard, [WRITE_ID]: _write, ...account } = item;
  return account as unknown as Account;
}

/** The item as written: an account with a due time joins the due index's one partition. */
function toItem(account: Account): Record<string, unknown> {
  return { ...itemKeys.account(account.email), ...account, ...(account.dueAt !== undefined ? { [DUE.partitionKey]: DUE_SHARD } : {}) };
}

/** BatchGetItem takes at most 100 keys. */
const BATCH = 100;

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(email: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.account(email), ConsistentRead: true }),
    );
    return toAccount(Item);
  }

  findByLinkId(linkId: string): Promise<Account | undefined> {
    return this.findOne('byLink', linkId);
  }

  findByRequestId(requestId: string): Promise<Account | undefined> {
    return this.findOne('byRequest', requestId);
  }

  /** Index reads are eventually consistent; every write after one is conditional on the version read. */
  private async findOne(index: IndexName, value: string): Promise<Account | undefined> {
    return toAccount(await firstInIndex(this.client, this.tableName, index, value));
  }

  async put(account: Account, expectedVersion: number | null): Promise<boolean> {
    // Older entries are archived first: a crash between the two writes leaves a copy, never a loss.
    const { kept: next, archived } = splitHistory(account);
    if (archived.length) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.historyArchive(account.email, account.version), email: account.email, history: archived },
        }),
      );
    }
    return conditionalPut(this.client, this.tableName, itemKeys.account(next.email), (writeId) =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...toItem(next), [WRITE_ID]: writeId },
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

  async getMany(emails: readonly string[]): Promise<Account[]> {
    const accounts: Account[] = [];
    for (let start = 0; start < emails.length; start += BATCH) {
      let keys: Record<string, unknown>[] | undefined = [...new Set(emails.slice(start, start + BATCH))].map((email) =>
        itemKeys.account(email),
      );
      // What DynamoDB leaves unprocessed (throttling) is asked for again; the SDK's retries pace it.
      while (keys?.length) {
        const answer: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const account = toAccount(item);
          if (account) accounts.push(account);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return accounts;
  }

  async findDue(nowSeconds: number, limit: number): Promise<Account[]> {
    const items = await dueInIndex(this.client, this.tableName, DUE_SHARD, nowSeconds, limit);
    return items.flatMap((item) => toAccount(item) ?? []);
  }

  async findByDomain(domain: string): Promise<Account[]> {
    const items = await itemsInIndex(
      this.client,
      this.tableName,
      'byDomain',
      { expression: '#domain = :domain', names: { '#domain': table.indexes.byDomain.partitionKey }, values: { ':domain': domain } },
      Number.POSITIVE_INFINITY,
    );
    return items.flatMap((item) => toAccount(item) ?? []);
  }

  /**
   * True when the account is gone: removed now, or by this same removal whose answer was lost (a
   * retry's failed condition, or no answer at all: read again to tell).
   */
  async remove(email: string, expectedVersion: number): Promise<boolean> {
    const gone = (before: string) =>
      this.get(email).then(
        (account) => account === undefined,
        (readFailure: unknown) => {
          throw undecided(readFailure, before);
        },
      );
    let removed: boolean;
    try {
      removed = await conditionally(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKeys.account(email),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError) || !mayHaveLanded(error)) throw error;
      if (await gone(error.failure)) return true;
      throw error;
    }
    return removed || (await gone('condition failed'));
  }
}
