import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../core/account';
import { splitHistory } from '../core/account-history';
import type { AccountStore } from '../core/ports';
import { type IndexName, itemKeys, table } from '../service/table';
import { conditionally } from './dynamodb-conditional';

/**
 * DynamoDB adapter. Single-item conditional writes only: dynalite has no transactions, and one
 * item per account means one write can never leave a record half-done.
 */

function toAccount(item: Record<string, unknown> | undefined): Account | undefined {
  if (!item) return undefined;
  const { [table.partitionKey]: _pk, [table.sortKey]: _sk, ...account } = item;
  return account as unknown as Account;
}

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
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': table.indexes[index].partitionKey },
        ExpressionAttributeValues: { ':value': value },
        Limit: 1,
      }),
    );
    return toAccount(Items?.[0]);
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
    return conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.account(next.email), ...next },
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

  async remove(email: string, expectedVersion: number): Promise<boolean> {
    return conditionally(() =>
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
  }
}
