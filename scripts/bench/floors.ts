import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '../../functions/service/table';
import { dynamoDocumentClient, sesClient } from '../../functions/wiring/aws-clients';

/**
 * The raw I/O floors (docs/design.md §9): the minimal calls each flow needs, made directly with the SDK —
 * configured by the same wiring as the functions — against the same emulators. The service's
 * figures are divided by these, so what remains is the code's own cost.
 */
export function floors(endpoints: { dynamodb: string; ses: string }, tableName: string) {
  const dynamodb = dynamoDocumentClient({ dynamodbEndpoint: endpoints.dynamodb });
  const ses = sesClient({ sesEndpoint: endpoints.ses });
  const key = (n: string) => ({ pk: `BENCH#${n}`, sk: 'BENCH' });
  const email = (to: string) =>
    ses.send(
      new SendEmailCommand({
        Source: 'no-reply@sandbox.localhost',
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: 'Confirm your email address' },
          Body: { Text: { Data: `https://localhost/verify?token=${'x'.repeat(60)}` } },
        },
      }),
    );
  const counter = (n: string) =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `BENCH#limit#${n}`, sk: '1' },
        UpdateExpression: 'ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':max': 1_000_000 },
      }),
    );
  const clear = (n: string) =>
    dynamodb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(n),
        UpdateExpression: 'REMOVE outbox SET version = version + :one',
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':one': 1, ':v': 1 },
      }),
    );
  const indexRead = (n: string) =>
    dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byLink',
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': table.indexes.byLink.partitionKey },
        ExpressionAttributeValues: { ':k': `BENCH#${n}` },
        Limit: 1,
      }),
    );
  const conditionalWrite = (n: string) =>
    dynamodb.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key(n), status: 'pending', version: 1, outbox: [{ kind: 'email', to: `${n}@agency.gov` }] },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  return {
    /** Counter write, one read round trip (account and suppression), conditional account write, one send, the clear. */
    async signUp(n: string): Promise<void> {
      await counter(n);
      await Promise.all([
        dynamodb.send(new GetCommand({ TableName: tableName, Key: key(n), ConsistentRead: true })),
        dynamodb.send(new GetCommand({ TableName: tableName, Key: { pk: `BENCH#suppressed#${n}`, sk: 'S' } })),
      ]);
      await conditionalWrite(n);
      await email(`${n}@agency.gov`);
      await clear(n);
    },
    /**
     * The calls this implementation makes for a new address, made directly: the client's counter
     * beside the account, suppression and breaker reads; the allowance and two budgets at once;
     * the account write, the send, the clear. The service's time over this is the code's own.
     */
    async signUpAsBuilt(n: string): Promise<void> {
      await Promise.all([
        counter(`ip${n}`),
        dynamodb.send(new GetCommand({ TableName: tableName, Key: key(n), ConsistentRead: true })),
        dynamodb.send(new GetCommand({ TableName: tableName, Key: { pk: `BENCH#suppressed#${n}`, sk: 'S' } })),
        dynamodb.send(new GetCommand({ TableName: tableName, Key: { pk: 'BENCH#breaker', sk: 'B' }, ConsistentRead: true })),
      ]);
      await Promise.all([
        counter(`mailbox${n}`),
        counter('budget'),
        counter(`domain${Number.parseInt(n.replace(/\D/g, '') || '0', 10) % 50}`),
      ]);
      await conditionalWrite(n);
      await email(`${n}@agency.gov`);
      await clear(n);
    },
    /** One index read, one conditional write (with its outbox), the clear. */
    async verification(n: string): Promise<void> {
      await indexRead(n);
      await conditionalWrite(`v${n}`);
      await clear(`v${n}`);
    },
    /** One index read, one conditional write, two sends (the contractor's outcome, the sponsor's receipt), the clear. */
    async decision(n: string): Promise<void> {
      await indexRead(n);
      await conditionalWrite(`d${n}`);
      await Promise.all([email(`${n}@acme-corp.com`), email(`sponsor${n}@agency.gov`)]);
      await clear(`d${n}`);
    },
    close(): void {
      dynamodb.destroy();
      ses.destroy();
    },
  };
}
