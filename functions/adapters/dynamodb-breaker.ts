import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReputationBreaker } from '../core/ports';
import { itemKeys, table } from '../service/table';
import { conditionally } from './dynamodb-conditional';

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

  async close(): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: itemKeys.breaker(this.name), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
