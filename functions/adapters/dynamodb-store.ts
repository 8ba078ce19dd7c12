import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Account, splitHistory } from '../core/account';
import { limitKey } from '../core/limit-key';
import { allowanceDay, type EmailLimits } from '../core/mailbox-allowance';
import type { AccountStore, LimitDecision, MailboxAllowances, RateLimiter, ReputationBreaker, SuppressionList } from '../core/ports';
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

/** Runs a conditional write: true when it landed, false when its condition did not hold. */
async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
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

/**
 * A mailbox's allowance for one UTC day: one item per hashed mailbox and day (the LIMIT family),
 * taken with a single conditional update that checks both the day's count and the cooldown.
 */
export class DynamoMailboxAllowances implements MailboxAllowances {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(mailbox: string, nowMs: number, limits: EmailLimits): Promise<boolean> {
    const day = allowanceDay(nowMs);
    const now = Math.floor(nowMs / 1000);
    return conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.limit(limitKey('mailbox', mailbox), day),
          UpdateExpression: 'ADD #count :one SET #last = :now, #expireAt = :expireAt',
          ConditionExpression: '(attribute_not_exists(#count) OR #count < :perDay) AND (attribute_not_exists(#last) OR #last <= :edge)',
          ExpressionAttributeNames: { '#count': 'count', '#last': 'lastEmailAt', '#expireAt': table.timeToLiveAttribute },
          ExpressionAttributeValues: {
            ':one': 1,
            ':now': now,
            ':perDay': limits.perDay,
            ':edge': now - limits.cooldownSeconds,
            ':expireAt': day + 2 * 86_400,
          },
        }),
      ),
    );
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
    const counted = await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.limit(key, windowStart),
          UpdateExpression: 'ADD #count :one SET #expireAt = :expireAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#expireAt': table.timeToLiveAttribute },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expireAt': windowEnd + windowSeconds },
        }),
      ),
    );
    return counted ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - now) };
  }
}

/** One item per suppressed mailbox; a bounce's lapses after SUPPRESSION_DAYS, a complaint's is kept. */
export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isSuppressed(mailbox: string, nowMs: number): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: itemKeys.suppression(mailbox),
        ProjectionExpression: '#pk, #until',
        ExpressionAttributeNames: { '#pk': table.partitionKey, '#until': 'suppressedUntil' },
      }),
    );
    // TTL deletes days late: a lapsed suppression is checked here.
    const until = Item?.suppressedUntil as number | undefined;
    return Item !== undefined && (until === undefined || until > Math.floor(nowMs / 1000));
  }

  /**
   * Written when absent or lapsed; a permanent suppression also replaces a lapsing one. Any other
   * duplicate (SNS delivers at least once) changes nothing.
   */
  suppress(mailbox: string, reason: 'bounce' | 'complaint', nowMs: number, untilMs?: number): Promise<boolean> {
    const until = untilMs === undefined ? undefined : Math.floor(untilMs / 1000);
    return conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKeys.suppression(mailbox),
            email: mailbox,
            reason,
            suppressedAt: new Date(nowMs).toISOString(),
            ...(until === undefined ? {} : { suppressedUntil: until, [table.timeToLiveAttribute]: until }),
          },
          ConditionExpression: `attribute_not_exists(#pk) OR #until < :now${until === undefined ? ' OR attribute_exists(#until)' : ''}`,
          ExpressionAttributeNames: { '#pk': table.partitionKey, '#until': 'suppressedUntil' },
          ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
        }),
      ),
    );
  }
}

/** One item per breaker: present means open. Opening writes it once; closing (an operator) deletes it. */
export class DynamoReputationBreaker implements ReputationBreaker {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly name = 'reputation',
  ) {}

  async isOpen(): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.breaker(this.name), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  open(reason: string, nowMs: number): Promise<boolean> {
    return conditionally(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.breaker(this.name), reason, openedAt: new Date(nowMs).toISOString() },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': table.partitionKey },
        }),
      ),
    );
  }
}
