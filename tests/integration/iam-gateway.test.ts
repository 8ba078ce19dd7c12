import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamGateway, type Principal } from '../../infra/rehearsal/iam-gateway';
import type { PolicyDocument } from '../../infra/rehearsal/stack-model';
import { type Emulator, startDynamoDb } from '../../local/emulators';

const ACCOUNT = '111122223333';
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Accounts`;
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:Keys-AbCdEf`;
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Reader`;
const dir = mkdtempSync(join(tmpdir(), 'gatekeeper-gateway-'));
let dynamodb: Emulator;
let gateway: IamGateway;
let reader: Principal;

const policy = (statements: Record<string, unknown>[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements as PolicyDocument['Statement'],
});

beforeAll(async () => {
  dynamodb = await startDynamoDb({ host: '127.0.0.1', port: 0, dataDir: dir });
  const admin = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await admin.send(
    new CreateTableCommand({
      TableName: 'Accounts',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  admin.destroy();
  gateway = new IamGateway(
    {
      account: ACCOUNT,
      region: 'us-east-1',
      stackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/S/1',
      stackName: 'S',
      tables: new Map([['Accounts', { arn: TABLE_ARN, partitionKey: 'pk', indexPartitionKeys: {} }]]),
      secretArn: (id) => (id === SECRET_ARN ? SECRET_ARN : undefined),
      sesIdentity: () => 'agency.gov',
    },
    { dynamodb: dynamodb.endpoint, ses: 'http://127.0.0.1:9' },
    {
      secrets: new Map([[SECRET_ARN, { value: 'the-value', version: 1, kmsKeyArn: KEY_ARN }]]),
      // The key lets the account administer it, and no one decrypt: the role's own grant is not enough.
      keyPolicies: new Map([
        [
          KEY_ARN,
          policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:Describe*', Resource: '*' }]),
        ],
      ]),
      outputs: {},
    },
  );
  await gateway.start();
  reader = gateway.issue('reader', ROLE, [
    {
      name: 'ReaderPolicy',
      policy: policy([
        {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: TABLE_ARN,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACCOUNT#*'] } },
        },
        { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'kms:Decrypt'], Resource: [SECRET_ARN, KEY_ARN] },
      ]),
    },
  ]);
});

afterAll(async () => {
  await gateway.close();
  await dynamodb.close();
  rmSync(dir, { recursive: true, force: true });
});

const clientAs = (principal: Principal, secretAccessKey = principal.secretAccessKey) =>
  new DynamoDBClient({
    endpoint: gateway.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey, sessionToken: principal.sessionToken },
  });
const getItem = (pk: string) => new GetItemCommand({ TableName: 'Accounts', Key: { pk: { S: pk } } });

describe('the rehearsal’s IAM gateway', () => {
  it('passes an allowed call on to the emulator', async () => {
    await expect(clientAs(reader).send(getItem('ACCOUNT#ann@agency.gov'))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it('refuses what the role’s policy does not allow, as AWS does, naming action, resource and keys', async () => {
    const refused = await clientAs(reader)
      .send(getItem('BREAKER#reputation'))
      .catch((error: Error) => error);
    expect(refused).toMatchObject({ name: 'AccessDeniedException' });
    expect((refused as Error).message).toMatch(
      /dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table\/Accounts .*LeadingKeys=\[BREAKER#reputation\]/,
    );
  });

  it('refuses a request not signed with the key’s own secret', async () => {
    const forged = await clientAs(reader, 'not-the-secret')
      .send(getItem('ACCOUNT#ann@agency.gov'))
      .catch((error: Error) => error);
    expect(forged).toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('refuses a secret whose key policy does not let the role decrypt, even with an identity grant', async () => {
    const secrets = new SecretsManagerClient({
      endpoint: gateway.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: reader.accessKeyId, secretAccessKey: reader.secretAccessKey, sessionToken: reader.sessionToken },
    });
    const refused = await secrets.send(new GetSecretValueCommand({ SecretId: SECRET_ARN })).catch((error: Error) => error);
    expect(refused).toMatchObject({ name: 'AccessDeniedException' });
    expect(gateway.denied().at(-1)).toMatchObject({ caller: 'reader', action: 'kms:Decrypt', resource: KEY_ARN });
  });
});
