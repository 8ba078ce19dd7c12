import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../functions/core/metric-names';
import { loadConfig } from '../../functions/service/config';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../../functions/service/observability';
import { type Route, routes } from '../../functions/service/routes';
import { createTableInput, table } from '../../functions/service/table';
import { apiGatewayPath, eventHandlers, handlers } from '../../infra/function-specs';
import { ACCESS_LOG_FIELDS } from '../../infra/http-api';
import { BASE_CONTEXT, CdkApps } from '../support/cdk-app';

const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
const apps = new CdkApps();
const appWith = (context: Record<string, unknown> = {}) => apps.build(context);

let template: Template;
let outdir: string;

beforeAll(() => {
  const built = appWith();
  template = Template.fromStack(built.stack);
  outdir = built.outdir;
});

afterAll(() => apps.removeAll());

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const resources = (tpl: Template, type: string) => tpl.findResources(type) as Record<string, Resource>;
// The webhook secret's custom step is made only with webhookUrl, which the main template has not:
// it is checked with the secret ("the webhook secret"), and in the README's grant table.
const { webhookSecret: webhookSecretStep, ...alwaysEventHandlers } = eventHandlers;
const allHandlers = { ...handlers, ...alwaysEventHandlers };
/** Principals in a stable order (a key policy lists them in the order the stack granted them). */
const sortedByRole = (principals: readonly unknown[]) => [...principals].map((principal) => JSON.stringify(principal)).sort();
const functionsBy = (tpl: Template) =>
  Object.fromEntries(
    Object.entries(resources(tpl, 'AWS::Lambda::Function')).map(([id, fn]) => [fn.Properties.Description as string, { id, fn }]),
  );
const environmentOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

function statementsOfRole(tpl: Template, roleLogicalId: string): Statement[] {
  return Object.values(resources(tpl, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const roleOf = (fn: Resource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());
/** The principals a key's policy lets decrypt (kms:Decrypt, or everything). */
const keyDecrypters = (tpl: Template, keyPrefix: string) =>
  Object.entries(resources(tpl, 'AWS::KMS::Key'))
    .filter(([id]) => id.startsWith(keyPrefix))
    .flatMap(([, key]) => (key.Properties.KeyPolicy as { Statement: (Statement & { Principal: { AWS?: unknown } })[] }).Statement)
    .filter((statement) => actionsOf([statement]).some((action) => action === 'kms:Decrypt' || action === 'kms:*'))
    .map((statement) => statement.Principal.AWS);

describe('the house Lambda construct', () => {
  it('makes one function per handler: Node.js 24, ARM64, bundled ESM, each with its own log group and retention', () => {
    const functions = Object.values(resources(template, 'AWS::Lambda::Function'));
    expect(functions.map((fn) => fn.Properties.Description).sort()).toEqual(
      Object.values(allHandlers)
        .map((spec) => spec.description)
        .sort(),
    );
    const logGroups = resources(template, 'AWS::Logs::LogGroup');
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBe(90);
    }
  });

  it('bundles the AWS SDK into minified ESM (no runtime SDK, no source maps)', () => {
    const signup = functionsBy(template)[handlers.signup.description]!.fn;
    const asset = (signup.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '');
    const bundle = readFileSync(join(outdir, `asset.${asset}`, 'index.mjs'), 'utf8');
    // Checked as booleans: a failure must not print a 400 kB bundle.
    expect(bundle.includes('SendEmail'), 'the SES client is in the bundle').toBe(true);
    expect(/from\s*["']@aws-sdk\//.test(bundle), 'no import of a runtime-provided SDK').toBe(false);
    // Minified: long lines (the few line breaks left are inside template literals).
    expect(bundle.length / bundle.split('\n').length, 'minified').toBeGreaterThan(1000);
    expect(existsSync(join(outdir, `asset.${asset}`, 'index.mjs.map'))).toBe(false);
  });

  it('gives no function the managed basic-execution policy: each writes to its own log group only', () => {
    for (const role of Object.values(resources(template, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const { fn } of Object.values(functionsBy(template))) {
      const logStatements = statementsOfRole(template, roleOf(fn)).filter((statement) =>
        actionsOf([statement]).some((a) => a.startsWith('logs:')),
      );
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logStatements).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } })]);
    }
  });
});

describe('static files', () => {
  it('ships the built USWDS and page assets beside the assets function’s bundle, and only there', () => {
    const byDescription = functionsBy(template);
    for (const spec of Object.values(allHandlers)) {
      const asset = (byDescription[spec.description]!.fn.Properties.Code as { S3Key: string }).S3Key.replace('.zip', '');
      const shipped = existsSync(join(outdir, `asset.${asset}`, 'static', 'manifest.json'));
      expect(shipped, spec.description).toBe((spec.uses as readonly string[]).includes('static-files'));
    }
  });
});

describe('least privilege', () => {
  it('has no wildcard action and no wildcard resource in any policy', () => {
    const statements = Object.values(resources(template, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|\/\*"|index\/\*/);
    }
  });

  it('has no table-wide write: every write, update and delete names its item families', () => {
    for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
        const writes = actionsOf([statement]).some((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action));
        if (writes) expect(JSON.stringify(statement.Condition)).toContain('dynamodb:LeadingKeys');
      }
    }
  });

  it('lets only the mailing functions send, from the configured sender, through the identity and configuration set', () => {
    const byDescription = functionsBy(template);
    for (const spec of Object.values(allHandlers)) {
      const { fn } = byDescription[spec.description]!;
      const ses = statementsOfRole(template, roleOf(fn)).filter((statement) => actionsOf([statement]).includes('ses:SendEmail'));
      if (!(spec.uses as readonly string[]).includes('mail')) {
        expect(ses, spec.description).toEqual([]);
        continue;
      }
      expect(ses).toHaveLength(1);
      expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@sandbox.agency.gov' } });
      expect(JSON.stringify(ses[0]!.Resource)).toContain(':identity/sandbox.agency.gov');
      expect(JSON.stringify(ses[0]!.Resource)).toContain(':configuration-set/');
      expect(environmentOf(fn).SES_CONFIGURATION_SET).toEqual({ Ref: expect.stringMatching(/^MailConfiguration/) });
    }
  });

  it('lets only the functions that sign or verify read the signing-key secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'seed', PasswordLength: 64 }),
    });
    const byDescription = functionsBy(template);
    for (const spec of Object.values(allHandlers)) {
      const { fn } = byDescription[spec.description]!;
      const reads = actionsOf(statementsOfRole(template, roleOf(fn))).includes('secretsmanager:GetSecretValue');
      const signs = (spec.uses as readonly string[]).includes('signing-keys');
      expect([reads, 'SIGNING_KEYS_SECRET_ARN' in environmentOf(fn)], spec.description).toEqual([signs, signs]);
    }
  });
});

describe('durability', () => {
  it('holds the table from the one table definition: on-demand, PITR, deletion protection, retained, TTL, encrypted', () => {
    const local = createTableInput('x');
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
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
});

describe('mail feedback', () => {
  it('publishes bounces and complaints of the configuration set to an encrypted topic that the feedback function reads', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { ReputationOptions: { ReputationMetricsEnabled: true } });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: Match.anyValue() }),
    });
    const topicId = Object.entries(resources(template, 'AWS::SNS::Topic')).find(
      ([, topic]) => topic.Properties.DisplayName === 'SES bounces and complaints',
    )![0];
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'SES bounces and complaints', KmsMasterKeyId: Match.anyValue() });
    const feedback = functionsBy(template)[eventHandlers.feedback.description]!;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [feedback.id, 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    expect(feedback.fn.Properties.DeadLetterConfig).toEqual({ TargetArn: expect.anything() });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
  });
});

describe('the API', () => {
  it('routes every path of the route table (any method) and sends the rest to the fallback', () => {
    const routeKeys = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(['$default', ...routes.map((route) => `ANY ${apiGatewayPath(route)}`)].sort());
    expect(routeKeys).toContain('ANY /assets/{proxy+}');
  });

  it('throttles the default stage and writes JSON access logs without query strings', () => {
    const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = (stage!.Properties.AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
    expect(format).not.toMatch(/query|request\.|\$input|header|body/i);
  });

  it('takes BASE_URL from the request context unless a custom domain or baseUrl is configured', () => {
    for (const [description, { fn }] of Object.entries(functionsBy(template))) {
      // The sweep has no request: its links point to the API's own URL.
      if (description === eventHandlers.sweep.description)
        expect(environmentOf(fn).BASE_URL).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ApiEndpoint'] });
      else expect(environmentOf(fn).BASE_URL).toBeUndefined();
    }

    const custom = Template.fromStack(
      appWith({ domainName: 'sandbox-signup.agency.gov', certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc' }).stack,
    );
    custom.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'sandbox-signup.agency.gov' });
    custom.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    for (const { fn } of Object.values(functionsBy(custom))) expect(environmentOf(fn).BASE_URL).toBe('https://sandbox-signup.agency.gov');
  });
});

describe('keys', () => {
  type KeyStatement = {
    Principal: { AWS?: unknown; Service?: string };
    Action: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
  };
  const keyStatements = (prefix: string) =>
    Object.entries(resources(template, 'AWS::KMS::Key'))
      .filter(([id]) => id.startsWith(prefix))
      .flatMap(([, key]) => (key.Properties.KeyPolicy as { Statement: KeyStatement[] }).Statement);

  it('lets SES and CloudWatch use the topic key only for this account’s configuration set and alarms', () => {
    const services = keyStatements('TopicKey').filter((statement) => statement.Principal.Service);
    expect(services.map((statement) => statement.Principal.Service).sort()).toEqual(['cloudwatch.amazonaws.com', 'ses.amazonaws.com']);
    for (const statement of services) {
      expect(statement.Condition?.StringEquals).toHaveProperty('aws:SourceAccount');
      expect(statement.Condition?.ArnLike).toHaveProperty('aws:SourceArn');
    }
  });

  it('encrypts the signing keys with their own key, which only the signing and verifying roles may decrypt', () => {
    const [secret] = Object.values(resources(template, 'AWS::SecretsManager::Secret'));
    expect(JSON.stringify(secret!.Properties.KmsKeyId)).toContain('SigningKeysKey');
    const decrypters = keyStatements('SigningKeysKey')
      .filter((statement) => [statement.Action].flat().some((action) => action === 'kms:Decrypt' || action === 'kms:*'))
      .map((statement) => JSON.stringify(statement.Principal.AWS));
    const signers = Object.values(allHandlers)
      .filter((spec) => (spec.uses as readonly string[]).includes('signing-keys'))
      .map((spec) => roleOf(functionsBy(template)[spec.description]!.fn));
    expect(decrypters).toHaveLength(signers.length);
    for (const role of signers) expect(decrypters).toContain(JSON.stringify({ 'Fn::GetAtt': [role, 'Arn'] }));
  });

  it('uses SES’s own suppression of bounces and complaints in the configuration set', () => {
    const [configurationSet] = Object.values(resources(template, 'AWS::SES::ConfigurationSet'));
    expect(configurationSet!.Properties.SuppressionOptions).toEqual({ SuppressedReasons: ['BOUNCE', 'COMPLAINT'] });
  });
});

describe('throttling', () => {
  it('gives every route the throttle the route table sizes for it; the stage default covers the rest', () => {
    const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
    const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;

    expect(settings).toEqual(
      Object.fromEntries(
        routes.map((route) => [
          `ANY ${apiGatewayPath(route)}`,
          { ThrottlingRateLimit: route.throttle.rate, ThrottlingBurstLimit: route.throttle.burst },
        ]),
      ),
    );
    const routeKeys = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routeKeys).toEqual(expect.arrayContaining(Object.keys(settings)));
    expect(settings['ANY /healthz']!.ThrottlingRateLimit).toBeLessThan(settings['ANY /']!.ThrottlingRateLimit);
  });

  it('the README’s throttle table is the route table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const route of routes as readonly Route[]) {
      expect(readme).toContain(`| \`${route.path}${route.prefix ? '/…' : ''}\` | ${route.throttle.rate} | ${route.throttle.burst} |`);
    }
  });
});

describe('alarms', () => {
  it('alarm on every function’s errors and throttles, API 5xx, SES reputation, permanent send failures and dead letters', () => {
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    const names = alarms.map((alarm) => `${alarm.Properties.Namespace}/${alarm.Properties.MetricName}`);
    const functionCount = Object.keys(allHandlers).length;
    expect(names.filter((name) => name === 'AWS/Lambda/Errors')).toHaveLength(functionCount);
    expect(names.filter((name) => name === 'AWS/Lambda/Throttles')).toHaveLength(functionCount);
    expect(names).toEqual(
      expect.arrayContaining([
        'AWS/ApiGateway/5xx',
        'AWS/SES/Reputation.BounceRate',
        'AWS/SES/Reputation.ComplaintRate',
        'SandboxGatekeeper/EmailsFailedPermanently',
        'AWS/SQS/ApproximateNumberOfMessagesVisible',
      ]),
    );
    const topicNamed = (name: string) =>
      Object.entries(resources(template, 'AWS::SNS::Topic')).find(([, topic]) => topic.Properties.DisplayName === name)![0];
    const [alarmTopic, reputationTopic] = [topicNamed('Sandbox Gatekeeper alarms'), topicNamed('SES reputation alarms')];
    for (const alarm of alarms) {
      const reputation = String(alarm.Properties.MetricName).startsWith('Reputation.');
      expect(alarm.Properties.AlarmActions).toEqual(reputation ? [{ Ref: alarmTopic }, { Ref: reputationTopic }] : [{ Ref: alarmTopic }]);
    }
  });

  it('sends the SES reputation alarms to the breaker function', () => {
    const reputationTopic = Object.entries(resources(template, 'AWS::SNS::Topic')).find(
      ([, topic]) => topic.Properties.DisplayName === 'SES reputation alarms',
    )![0];
    const breaker = functionsBy(template)[eventHandlers.breaker.description]!.id;
    const subscriptions = Object.values(resources(template, 'AWS::SNS::Subscription')).map((subscription) => subscription.Properties);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Protocol: 'lambda', TopicArn: { Ref: reputationTopic }, Endpoint: { 'Fn::GetAtt': [breaker, 'Arn'] } }),
      ]),
    );
  });

  it('watches the service’s own counters under the namespace, name and dimension the functions emit them with', () => {
    const watched = Object.values(resources(template, 'AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.Namespace !== undefined && !String(alarm.Namespace).startsWith('AWS/'));
    expect(watched.map(({ Namespace, MetricName, Dimensions }) => ({ Namespace, MetricName, Dimensions }))).toEqual(
      [
        'EmailsFailedPermanently',
        'DependencyUnavailable',
        'InternalErrors',
        'DeliveriesFailed',
        'EmailsHeldByBreaker',
        'EmailBudgetExhausted',
        'RegistryLoadsRefused',
        'AccountsSuspended',
        'SponsorMailboxesGone',
        'SweepBacklog',
      ].map((name) => ({
        Namespace: METRIC_NAMESPACE,
        MetricName: name,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      })),
    );
    expect(METRIC_NAMES).toEqual(
      expect.arrayContaining([
        'EmailsFailedPermanently',
        'DeliveriesFailed',
        'EmailsHeldByBreaker',
        'EmailBudgetExhausted',
        'RegistryLoadsRefused',
        'AccountsSuspended',
      ]),
    );
  });

  it('sends alarms to an existing topic when one is given', () => {
    const arn = 'arn:aws:sns:us-east-1:111122223333:ops-alarms';
    const withTopic = Template.fromStack(appWith({ alarmTopicArn: arn }).stack);
    for (const alarm of Object.values(resources(withTopic, 'AWS::CloudWatch::Alarm')))
      expect((alarm.Properties.AlarmActions as unknown[])[0]).toEqual(arn);
    expect(Object.values(resources(withTopic, 'AWS::SNS::Topic')).map((topic) => topic.Properties.DisplayName)).toEqual([
      'SES bounces and complaints',
      'SES reputation alarms',
    ]);
  });
});

describe('the lifecycle sweep', () => {
  it('runs on an EventBridge schedule, every 5 minutes by default or as sweepIntervalMinutes says, without retries', () => {
    const sweepId = functionsBy(template)[eventHandlers.sweep.description]!.id;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweepId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    Template.fromStack(appWith({ sweepIntervalMinutes: 15 }).stack).hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
    expect(() => appWith({ sweepIntervalMinutes: 0 })).toThrow(/sweepIntervalMinutes/);
  });

  it('has its errors alarmed like every function', () => {
    const sweepId = functionsBy(template)[eventHandlers.sweep.description]!.id;
    const alarms = Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    expect(alarms.some((alarm) => JSON.stringify(alarm.Properties.Dimensions ?? alarm.Properties.Metrics ?? '').includes(sweepId))).toBe(
      true,
    );
  });
});

describe('the webhook secret (webhookUrl)', () => {
  const HOOK = 'https://sandbox.agency.gov/hooks/gatekeeper';
  let withHook: Template;
  beforeAll(() => {
    withHook = Template.fromStack(appWith({ webhookUrl: HOOK }).stack);
  });
  const webhookSecretId = (tpl: Template) =>
    Object.entries(resources(tpl, 'AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('WebhookSecret'))![0];

  it('is made only when a receiver is named, and every function that reads the settings is told the receiver', () => {
    expect(Object.keys(resources(template, 'AWS::SecretsManager::Secret'))).toEqual([expect.stringMatching(/^SigningKeys/)]);
    expect(Object.keys(resources(template, 'AWS::KMS::Key')).some((id) => id.startsWith('WebhookSecretKey'))).toBe(false);
    expect(functionsBy(template)[webhookSecretStep.description]).toBeUndefined();
    expect(template.findResources('Custom::WebhookSecret')).toEqual({});
    for (const [description, { fn }] of Object.entries(functionsBy(withHook)))
      expect(environmentOf(fn).WEBHOOK_URL, description).toBe(description === webhookSecretStep.description ? undefined : HOOK);
    expect(() => appWith({ webhookUrl: 'http://sandbox.agency.gov/hooks' })).toThrow(/WEBHOOK_URL must be an https URL/);
  });

  it('is whsec_ as it is given to the sandbox, on its own key, generated by nothing but the custom step', () => {
    const secretId = webhookSecretId(withHook);
    expect(secretId).toMatch(/^WebhookSecret[0-9A-F]{8}$/);
    const secret = resources(withHook, 'AWS::SecretsManager::Secret')[secretId]!;
    expect(String(secret.Properties.Description)).toMatch(/signs webhook events.*whsec_.*as it is/);
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WebhookSecretKey[0-9A-F]{8}$/), 'Arn'] });
    expect(withHook.findOutputs('WebhookSecretArn').WebhookSecretArn?.Value).toEqual({ Ref: secretId });
  });

  it('is read by the functions that send events (verify, decision, manage, the sweep), whose roles alone its key lets decrypt', () => {
    const secretId = webhookSecretId(withHook);
    const readers = Object.entries(functionsBy(withHook))
      .filter(([, { fn }]) =>
        statementsOfRole(withHook, roleOf(fn)).some(
          (statement) =>
            actionsOf([statement]).includes('secretsmanager:GetSecretValue') && JSON.stringify(statement.Resource).includes(secretId),
        ),
      )
      .map(([description]) => description);
    const senders = [handlers.verify, handlers.decision, handlers.manage, eventHandlers.sweep].map((spec) => spec.description);
    expect(readers.sort()).toEqual([...senders].sort());
    const rolesOf = (descriptions: readonly string[]) =>
      descriptions.map((description) => ({ 'Fn::GetAtt': [roleOf(functionsBy(withHook)[description]!.fn), 'Arn'] }));
    expect(sortedByRole(keyDecrypters(withHook, 'WebhookSecretKey'))).toEqual(sortedByRole(rolesOf(senders)));
    for (const description of senders)
      expect(environmentOf(functionsBy(withHook)[description]!.fn).WEBHOOK_SECRET_ARN).toEqual({ Ref: secretId });
  });

  it('gets its value from the custom step, which may put a value in that secret through Secrets Manager and do nothing else', () => {
    const secretId = webhookSecretId(withHook);
    const { id: stepId, fn: step } = functionsBy(withHook)[webhookSecretStep.description]!;
    const custom = withHook.findResources('Custom::WebhookSecret');
    expect(custom).toEqual({
      WebhookSecretValue: expect.objectContaining({
        Properties: { ServiceToken: { 'Fn::GetAtt': [stepId, 'Arn'] }, SecretId: { Ref: secretId } },
      }),
    });
    const keyId = Object.keys(resources(withHook, 'AWS::KMS::Key')).find((id) => id.startsWith('WebhookSecretKey'))!;
    const statements = statementsOfRole(withHook, roleOf(step)).filter(
      (statement) => !actionsOf([statement]).some((a) => a.startsWith('logs:')),
    );
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: { Ref: secretId } },
      {
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: {
          StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        },
      },
    ]);
    // It reads no service configuration (no table, no settings), and its errors are alarmed like every function's.
    expect(environmentOf(step)).toEqual({ POWERTOOLS_SERVICE_NAME: SERVICE_NAME, POWERTOOLS_LOG_LEVEL: 'INFO' });
    const alarmed = Object.values(resources(withHook, 'AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions ?? '').includes(stepId),
    );
    expect(alarmed.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['Errors', 'Throttles']);
  });

  it('has its value before anything reads it: the sweep and its schedule wait for the custom step', () => {
    const all = withHook.toJSON().Resources as Record<string, { DependsOn?: string[] }>;
    const sweepId = functionsBy(withHook)[eventHandlers.sweep.description]!.id;
    const scheduleId = Object.keys(resources(withHook, 'AWS::Events::Rule')).find((id) => id.startsWith('SweepSchedule'))!;
    expect(all[sweepId]!.DependsOn).toContain('WebhookSecretValue');
    expect(all[scheduleId]!.DependsOn).toContain('WebhookSecretValue');
  });
});

describe('sponsor sign-in with an OpenID provider (oidcIssuer, oidcClientId)', () => {
  const OIDC = {
    oidcIssuer: 'https://idp.int.identitysandbox.gov',
    oidcClientId: 'urn:gov:gsa:openidconnect.profiles:sp:sso:agency:gatekeeper',
  };
  let withOidc: Template;
  beforeAll(() => {
    withOidc = Template.fromStack(appWith(OIDC).stack);
  });
  const keySecretId = (tpl: Template) =>
    Object.keys(resources(tpl, 'AWS::SecretsManager::Secret')).find((id) => id.startsWith('OidcClientKey'));

  it('is configured only on the sign-in function, whose role alone reads the client key and alone its key lets decrypt', () => {
    expect(keySecretId(template)).toBeUndefined();
    const secretId = keySecretId(withOidc)!;
    const functions = functionsBy(withOidc);
    for (const [description, { fn }] of Object.entries(functions)) {
      const signIn = description === handlers.signIn.description;
      expect(environmentOf(fn).OIDC_ISSUER, description).toBe(signIn ? OIDC.oidcIssuer : undefined);
      expect(environmentOf(fn).OIDC_PRIVATE_KEY_SECRET_ARN, description).toEqual(signIn ? { Ref: secretId } : undefined);
    }
    const signInRole = roleOf(functions[handlers.signIn.description]!.fn);
    expect(keyDecrypters(withOidc, 'OidcClientKeyKey')).toEqual([{ 'Fn::GetAtt': [signInRole, 'Arn'] }]);
    const secret = resources(withOidc, 'AWS::SecretsManager::Secret')[secretId]!;
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(withOidc.findOutputs('OidcClientKeySecretArn').OidcClientKeySecretArn?.Value).toEqual({ Ref: secretId });
  });

  it('needs both values, and a valid issuer URL', () => {
    expect(() => appWith({ oidcIssuer: OIDC.oidcIssuer })).toThrow(/"oidcIssuer" and "oidcClientId" go together/);
    expect(() => appWith({ ...OIDC, oidcIssuer: 'not a url' })).toThrow(/Context value "oidcIssuer" is not valid/);
  });
});

describe('the .gov registry load', () => {
  it('loads the snapshot the function carries at deploy, daily from registryUrl only when set, writing the registry’s items alone', () => {
    const registry = functionsBy(template)[eventHandlers.registry.description]!;
    const step = Object.values(template.findResources('Custom::RegistrySnapshot')) as Resource[];
    expect(step).toHaveLength(1);
    expect(step[0]!.Properties).toMatchObject({
      PublishedAt: JSON.parse(readFileSync(new URL('../../registry/SNAPSHOT.json', import.meta.url), 'utf8')).publishedAt,
    });
    const batch = statementsOfRole(template, roleOf(registry.fn)).filter((statement) =>
      actionsOf([statement]).includes('dynamodb:BatchWriteItem'),
    );
    expect(batch.map((statement) => statement.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REGISTRY#*'] } },
    ]);
    const others = Object.values(functionsBy(template)).filter(({ fn }) => fn !== registry.fn);
    expect(others.flatMap(({ fn }) => actionsOf(statementsOfRole(template, roleOf(fn)))).includes('dynamodb:BatchWriteItem')).toBe(false);
    expect(Object.keys(template.findResources('AWS::Events::Rule')).some((id) => id.startsWith('RegistrySchedule'))).toBe(false);

    const withUrl = Template.fromStack(appWith({ registryUrl: 'https://data.example/current-full.csv' }).stack);
    expect(Object.keys(withUrl.findResources('AWS::Events::Rule')).some((id) => id.startsWith('RegistrySchedule'))).toBe(true);
    expect(environmentOf(functionsBy(withUrl)[eventHandlers.registry.description]!.fn).REGISTRY_URL).toBe(
      'https://data.example/current-full.csv',
    );
    expect(() => appWith({ registryUrl: 'http://data.example/current-full.csv' })).toThrow(/Context value "registryUrl" is not valid/);
  });
});

describe('the operator policy (npm run admin --stack)', () => {
  // What the CLI uses of it is proven by the deploy rehearsal (tests/infra/rehearsal.test.ts), which runs every command under it.
  it('names no wildcard, sends only from the sender, and is an output', () => {
    const [policy] = Object.values(resources(template, 'AWS::IAM::ManagedPolicy'));
    const statements = (policy!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(JSON.stringify(statements)).not.toContain('"*"');
    const ses = statements.find((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@sandbox.agency.gov' } });
    expect(template.findOutputs('OperatorPolicyArn')).not.toEqual({});
    expect(template.findOutputs('MailFrom').MailFrom?.Value).toBe('no-reply@sandbox.agency.gov');
  });
});

describe('the optional operator role (-c operatorRole=true)', () => {
  it('is made only on request, holds the operator policy, and alone besides the signers may decrypt the signing keys', () => {
    expect(Object.keys(resources(template, 'AWS::IAM::Role')).some((id) => id.startsWith('OperatorRole'))).toBe(false);
    const withRole = Template.fromStack(appWith({ operatorRole: 'true', webhookUrl: 'https://sandbox.agency.gov/hooks/gatekeeper' }).stack);
    const [[roleId, role]] = Object.entries(resources(withRole, 'AWS::IAM::Role')).filter(([id]) => id.startsWith('OperatorRole')) as [
      [string, Resource],
    ];
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(':root');
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('OperatorPolicy');
    const keyPolicy = Object.entries(resources(withRole, 'AWS::KMS::Key'))
      .filter(([id]) => id.startsWith('SigningKeysKey'))
      .flatMap(([, key]) => (key.Properties.KeyPolicy as { Statement: (Statement & { Principal: unknown })[] }).Statement);
    expect(
      keyPolicy.some(
        (statement) =>
          [statement.Action].flat().includes('kms:Decrypt') &&
          JSON.stringify(statement.Principal) === JSON.stringify({ AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } }),
      ),
    ).toBe(true);
    const reads = statementsOfRole(withRole, roleId).filter((statement) =>
      actionsOf([statement]).includes('secretsmanager:GetSecretValue'),
    );
    expect(JSON.stringify(reads)).toMatch(/SigningKeys[0-9A-F]{8}/);
    expect(JSON.stringify(reads)).toMatch(/WebhookSecret[0-9A-F]{8}/);
    // The webhook secret's key names the functions that send events and this role for decrypting, no one else.
    const senders = [handlers.verify, handlers.decision, handlers.manage, eventHandlers.sweep].map((spec) =>
      roleOf(functionsBy(withRole)[spec.description]!.fn),
    );
    expect(sortedByRole(keyDecrypters(withRole, 'WebhookSecretKey'))).toEqual(
      sortedByRole([...senders, roleId].map((role) => ({ 'Fn::GetAtt': [role, 'Arn'] }))),
    );
    expect(withRole.findOutputs('OperatorRoleArn')).not.toEqual({});
    expect(() => appWith({ operatorRole: 'yes' })).toThrow(/"operatorRole" must be true or false/);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing unacknowledged in the stack', () => {
    const { app } = appWith();
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth when a finding appears (a control: an unencrypted, unguarded queue)', () => {
    const { app, stack } = appWith();
    new Queue(stack, 'Careless');
    expect(() => app.synth()).toThrow(/SQS queue/);
  });
});

describe('settings from context', () => {
  it.each([
    [{ limits: { RATE_LIMIT_IP_PER_HOUR: 'lots' } }, /RATE_LIMIT_IP_PER_HOUR/],
    [{ limits: { SOMETHING_ELSE: '1' } }, /SOMETHING_ELSE/],
    [{ domainName: 'sandbox-signup.agency.gov' }, /certificateArn/],
    [{ allowedOrigins: 'https://www.agency.gov/path' }, /ALLOWED_ORIGINS/],
    [{ mailFrom: '' }, /mailFrom/],
    [{ logRetentionDays: 17 }, /logRetentionDays/],
    [{ signupSuccessUrl: 'https://elsewhere.example.com/thanks' }, /SIGNUP_SUCCESS_URL/],
    [{ supportEmail: 'help desk' }, /SUPPORT_EMAIL/],
  ])('refuses %j at synth', (context, message) => {
    expect(() => appWith(context)).toThrow(message);
  });

  it.each([
    [{ domainName: 'bad domain', certificateArn: CERTIFICATE }, /Context value "domainName"/],
    [{ baseUrl: 'sandbox.agency.gov' }, /Context value "baseUrl" is not valid: BASE_URL must be an absolute/],
    [{ limits: { RATE_LIMIT_EMAIL_PER_DAY: '0' } }, /Context value "limits" is not valid: RATE_LIMIT_EMAIL_PER_DAY/],
    [{ sandboxUrl: 'ftp://sandbox.agency.gov' }, /Context value "sandboxUrl" is not valid: SANDBOX_URL/],
    [{ mailFrom: 'no-reply at agency.gov' }, /Context value "mailFrom" is not valid: MAIL_FROM/],
    [{ privacyUrl: 'http://agency.gov/privacy' }, /Context value "privacyUrl" is not valid: PRIVACY_URL must be an https URL/],
    [{ accessibilityUrl: 'accessibility' }, /Context value "accessibilityUrl" is not valid: ACCESSIBILITY_URL/],
    [{ limits: 'RATE_LIMIT_IP_PER_HOUR=50' }, /Context value "limits" must be a JSON object/],
  ])('names the context value of a bad setting: %j', (context, message) => {
    expect(() => appWith(context)).toThrow(message);
  });

  it('validated what it deploys: every function’s environment, tokens aside, passes the functions’ own loader', () => {
    const withDomain = Template.fromStack(
      appWith({ domainName: 'sandbox.agency.gov', certificateArn: CERTIFICATE, limits: { APPROVAL_TTL_SECONDS: '3600' } }).stack,
    );
    for (const [description, { fn }] of Object.entries(functionsBy(withDomain))) {
      // A CloudFormation reference (table name, secret ARN) is a resolved string once deployed.
      const deployed = Object.fromEntries(
        Object.entries(environmentOf(fn)).map(([name, value]) => [name, typeof value === 'string' ? value : 'resolved-at-deploy']),
      );
      const config = loadConfig(deployed);
      expect(config, description).toMatchObject({
        baseUrl: 'https://sandbox.agency.gov',
        approvalTtlSeconds: 3600,
        mailFrom: BASE_CONTEXT.mailFrom,
      });
    }
  });

  it('passes limits through to the functions', () => {
    const limited = Template.fromStack(appWith({ limits: { RATE_LIMIT_IP_PER_HOUR: '20', CONTRACTOR_ACCESS_DAYS: '90' } }).stack);
    for (const { fn } of Object.values(functionsBy(limited))) {
      expect(environmentOf(fn)).toMatchObject({ RATE_LIMIT_IP_PER_HOUR: '20', CONTRACTOR_ACCESS_DAYS: '90' });
    }
  });
});
