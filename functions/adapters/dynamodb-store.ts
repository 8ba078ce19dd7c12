import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../core/account';
import type { AccountStore, LimitDecision, RateLimiter, SuppressionList } from '../core/ports';
import { type IndexName, itemKeys, table } from '../service/table';

/**
 * DynamoDB adapter. Single-item conditional writes only: dynalite has no transactions, and one
 * item per account means one write can never leave a record half-done.
 */

function toAccount(item: Record<string, unknown> | undefined): Account | undefined {
  if (!item) return undefined;
  const { [table.partitionKey]: _pk, [table.sortKey]: _sk, ...account } = item;
  return account as unknown as Account;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
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

  async put(next: Account, expectedVersion: number | null): Promise<boolean> {
    try {
      await this.client.send(
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
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async remove(email: string, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: itemKeys.account(email),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** Fixed-window counters, one item per key and window, removed by TTL after the window. */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number, nowMs: number): Promise<LimitDecision> {
    const now = Math.floor(nowMs / 1000);
    const windowStart = now - (now % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.limit(key, windowStart),
          UpdateExpression: 'ADD #count :one SET #expireAt = :expireAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#expireAt': table.timeToLiveAttribute },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expireAt': windowEnd + windowSeconds },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (isConditionFailure(error)) return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - now) };
      throw error;
    }
  }
}

/** One item per suppressed address; written once, whatever the number of duplicate notifications. */
export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isSuppressed(email: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKeys.suppression(email),
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': table.partitionKey },
      }),
    );
    return Item !== undefined;
  }

  async suppress(email: string, reason: 'bounce' | 'complaint', nowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.suppression(email), email, reason, suppressedAt: new Date(nowMs).toISOString() },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': table.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
