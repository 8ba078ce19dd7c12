import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatekeeperStack } from '../../infra/gatekeeper-stack';
import { handlers, routes } from '../../infra/routes';
import { createTableInput, table } from '../../infra/table';

let outdir: string;
let template: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'gatekeeper-cdk-'));
  const app = new App({ outdir });
  const stack = new GatekeeperStack(app, 'TestGatekeeper', {
    settings: { mailFrom: 'no-reply@sandbox.agency.gov', sesIdentity: 'sandbox.agency.gov', allowedOrigins: 'https://www.agency.gov' },
  });
  template = Template.fromStack(stack);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

type Resource = { Properties: Record<string, unknown> };

describe('the synthesized stack', () => {
  it('holds the table from the one table definition: keys, index, TTL, on-demand, durable', () => {
    const local = createTableInput('x');
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: local.KeySchema,
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: local.GlobalSecondaryIndexes,
      }),
    });
  });

  it('has one ARM64 Node.js 24 function per handler, each with its own log group retention', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    expect(functions).toHaveLength(Object.keys(handlers).length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
    template.resourceCountIs('AWS::Logs::LogGroup', Object.keys(handlers).length);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('routes every path of the route table, with any method, and sends the rest to the fallback', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(['$default', ...routes.map((route) => `ANY ${route.path}`)].sort());
  });

  it('grants DynamoDB only the item operations the code uses, and SES only from the configured sender', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Condition?: unknown }[] }).Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('*');
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('dynamodb:')).some((action) => action.includes('*'))).toBe(false);
    const ses = statements.filter((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    expect(ses.length).toBeGreaterThan(0);
    for (const statement of ses) {
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@sandbox.agency.gov' } });
    }
  });

  it('keeps the signing keys in a generated secret that only the functions which sign or verify can read', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'seed', PasswordLength: 64 }),
    });
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const withKeys = Object.entries(functions)
      .filter(([, fn]) => 'SIGNING_KEYS_SECRET_ARN' in (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables)
      .map(([, fn]) => fn.Properties.Description);
    const expected = Object.values(handlers)
      .filter((spec) => (spec.uses as readonly string[]).includes('signing-keys'))
      .map((spec) => spec.description);
    expect(withKeys.sort()).toEqual(expected.sort());

    const readers = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter((policy) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.some((statement) =>
        [statement.Action].flat().includes('secretsmanager:GetSecretValue'),
      ),
    );
    expect(readers).toHaveLength(expected.length);
  });

  it('gives the read-only review function no write access to the table', () => {
    const review = Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).find(
      ([, fn]) => fn.Properties.Description === handlers.review.description,
    )!;
    const roleRef = (review[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(roleRef),
    );
    const actions = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((statement) => [statement.Action].flat()),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((action) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
  });

  it('configures the functions from context and never hard-codes a base URL from the request', () => {
    const environments = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).map(
      (fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    for (const variables of environments) {
      expect(variables).toMatchObject({ MAIL_FROM: 'no-reply@sandbox.agency.gov', ALLOWED_ORIGINS: 'https://www.agency.gov' });
      expect(variables.TABLE_NAME).toBeDefined();
      expect(variables.BASE_URL).toBeUndefined();
    }
  });
});
