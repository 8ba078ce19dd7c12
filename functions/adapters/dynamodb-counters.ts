import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { limitKey } from '../core/limit-key';
import { allowanceDay, type EmailLimits } from '../core/mailbox-allowance';
import type { LimitDecision, MailboxAllowances, RateLimiter } from '../core/ports';
import { itemKeys, table } from '../service/table';
import { conditionally } from './dynamodb-conditional';

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

  async giveBack(mailbox: string, nowMs: number, limits: EmailLimits): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    // Only the email this request took (its second is the write's mark); the cooldown restarts from before it.
    await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.limit(limitKey('mailbox', mailbox), allowanceDay(nowMs)),
          UpdateExpression: 'ADD #count :minusOne SET #last = :edge',
          ConditionExpression: '#last = :now AND #count > :zero',
          ExpressionAttributeNames: { '#count': 'count', '#last': 'lastEmailAt' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ':now': now, ':edge': now - limits.cooldownSeconds },
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

  async refund(key: string, windowSeconds: number, nowMs: number): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    await conditionally(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.limit(key, now - (now % windowSeconds)),
          UpdateExpression: 'ADD #count :minusOne',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      ),
    );
  }
}
