import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionList } from '../core/ports';
import { itemKeys, table } from '../service/table';
import { conditionally } from './dynamodb-conditional';

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

  async lift(mailbox: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: itemKeys.suppression(mailbox), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
