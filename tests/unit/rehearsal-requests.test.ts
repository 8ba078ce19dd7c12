import { describe, expect, it } from 'vitest';
import { type AwsWorld, authorizationsFor, type SignedRequest } from '../../infra/rehearsal/aws-requests';
import { Deployment } from '../../infra/rehearsal/cloud-assembly';
import { generatedSecret } from '../../infra/rehearsal/generated-secret';

const TABLE = 'arn:aws:dynamodb:us-east-1:111122223333:table/T';
const world: AwsWorld = {
  account: '111122223333',
  region: 'us-east-1',
  stackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/S/1',
  stackName: 'S',
  tables: new Map([['T', { arn: TABLE, partitionKey: 'pk', indexPartitionKeys: { byDue: 'dueShard' } }]]),
  secretArn: (id) => (id === 'Keys' ? 'arn:aws:secretsmanager:us-east-1:111122223333:secret:Keys-AbCdEf' : undefined),
  sesIdentity: () => 'agency.gov',
};

const dynamo = (operation: string, input: unknown): SignedRequest => ({
  service: 'dynamodb',
  method: 'POST',
  path: '/',
  headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` },
  body: JSON.stringify(input),
});

describe('what AWS authorizes for a request', () => {
  it('names the item’s partition key as dynamodb:LeadingKeys for single-item calls', () => {
    for (const [operation, key] of [
      ['GetItem', { Key: { pk: { S: 'BREAKER#reputation' }, sk: { S: 'BREAKER' } } }],
      ['PutItem', { Item: { pk: { S: 'BREAKER#reputation' }, sk: { S: 'BREAKER' }, at: { N: '1' } } }],
      ['UpdateItem', { Key: { pk: { S: 'BREAKER#reputation' }, sk: { S: 'BREAKER' } } }],
      ['DeleteItem', { Key: { pk: { S: 'BREAKER#reputation' }, sk: { S: 'BREAKER' } } }],
    ] as const) {
      expect(authorizationsFor(dynamo(operation, { TableName: 'T', ...key }), world)).toEqual([
        { action: `dynamodb:${operation}`, resource: TABLE, context: { 'dynamodb:LeadingKeys': ['BREAKER#reputation'] } },
      ]);
    }
  });

  it('reads a query’s partition value from its key condition, on the index’s own resource', () => {
    const [onIndex] = authorizationsFor(
      dynamo('Query', {
        TableName: 'T',
        IndexName: 'byDue',
        KeyConditionExpression: '#shard = :shard AND dueAt <= :now',
        ExpressionAttributeNames: { '#shard': 'dueShard' },
        ExpressionAttributeValues: { ':shard': { S: '3' }, ':now': { N: '5' } },
      }),
      world,
    );
    expect(onIndex).toMatchObject({ resource: `${TABLE}/index/byDue`, context: { 'dynamodb:LeadingKeys': ['3'] } });
    const [onTable] = authorizationsFor(
      dynamo('Query', {
        TableName: 'T',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'SPONSOR#s@agency.gov' } },
      }),
      world,
    );
    expect(onTable).toMatchObject({ resource: TABLE, context: { 'dynamodb:LeadingKeys': ['SPONSOR#s@agency.gov'] } });
  });

  it('names every key of a batch read', () => {
    const [batch] = authorizationsFor(
      dynamo('BatchGetItem', { RequestItems: { T: { Keys: [{ pk: { S: 'ACCOUNT#a' } }, { pk: { S: 'LIMIT#b' } }] } } }),
      world,
    );
    expect(batch?.context['dynamodb:LeadingKeys']).toEqual(['ACCOUNT#a', 'LIMIT#b']);
  });

  it('checks an SES send against the identity and the configuration set, with the sender as ses:FromAddress', () => {
    const body = new URLSearchParams({
      Action: 'SendEmail',
      Source: 'Sandbox <no-reply@agency.gov>',
      ConfigurationSetName: 'Mail',
      'Destination.ToAddresses.member.1': 'ann@agency.gov',
    }).toString();
    const checks = authorizationsFor({ service: 'ses', method: 'POST', path: '/', headers: {}, body }, world);
    expect(checks.map((check) => check.resource)).toEqual([
      'arn:aws:ses:us-east-1:111122223333:identity/agency.gov',
      'arn:aws:ses:us-east-1:111122223333:configuration-set/Mail',
    ]);
    expect(checks[0]?.context).toMatchObject({ 'ses:FromAddress': 'no-reply@agency.gov', 'ses:Recipients': ['ann@agency.gov'] });
  });

  it('resolves a secret named by name to its ARN', () => {
    const [read] = authorizationsFor(
      {
        service: 'secretsmanager',
        method: 'POST',
        path: '/',
        headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' },
        body: '{"SecretId":"Keys"}',
      },
      world,
    );
    expect(read).toMatchObject({
      action: 'secretsmanager:GetSecretValue',
      resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:Keys-AbCdEf',
    });
  });
});

describe('a generated secret', () => {
  it('follows GenerateSecretString: length, classes excluded, one of each class, the template', () => {
    for (let i = 0; i < 50; i++) {
      const value = generatedSecret({ PasswordLength: 48, ExcludePunctuation: true });
      expect(value).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/[0-9]/);
    }
    const templated = JSON.parse(
      generatedSecret({ SecretStringTemplate: '{"kid":"k1"}', GenerateStringKey: 'seed', PasswordLength: 64, ExcludePunctuation: true }),
    );
    expect(templated).toEqual({ kid: 'k1', seed: expect.stringMatching(/^[A-Za-z0-9]{64}$/) });
    expect(generatedSecret({})).toHaveLength(32);
  });
});

describe('the template’s intrinsic functions', () => {
  const deployment = new Deployment({
    stackName: 'S',
    resources: {
      Table: { Type: 'AWS::DynamoDB::Table' },
      Secret: { Type: 'AWS::SecretsManager::Secret' },
      Key: { Type: 'AWS::KMS::Key' },
    },
    outputs: {},
    assetFolders: new Map(),
  });

  it('resolve to the names and ARNs CloudFormation would give', () => {
    const tableArn = deployment.resolve({ 'Fn::GetAtt': ['Table', 'Arn'] });
    expect(tableArn).toBe(`arn:aws:dynamodb:us-east-1:111122223333:table/${deployment.ref('Table')}`);
    expect(deployment.resolve({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/byDue']] })).toBe(`${tableArn}/index/byDue`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own placeholder syntax
    expect(deployment.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/x' })).toBe(
      'arn:aws:ses:us-east-1:111122223333:identity/x',
    );
    expect(deployment.resolve({ Ref: 'Secret' })).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:Secret-[0-9A-F]{6}$/);
    expect(deployment.resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
  });

  it('refuses what it cannot resolve, naming it', () => {
    expect(() => deployment.resolve({ Ref: 'Missing' })).toThrow(/Missing/);
    expect(() => deployment.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue/);
  });
});
