import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Emulator, startDynamoDb, startSes } from '../local/emulators';
import type { AwsWorld } from './aws-requests';
import { Deployment, type Json, readAssembly } from './cloud-assembly';
import { generatedSecret } from './generated-secret';
import { IamGateway, type Principal } from './iam-gateway';
import { LambdaHost } from './lambda-host';
import { SandboxReceiver } from './sandbox-receiver';
import { type DeployedFunction, type StackModel, stackModel } from './stack-model';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK = fileURLToPath(new URL('./shifted-clock.mjs', import.meta.url));

export interface RehearsalOptions {
  /** A `cdk.out` folder holding the stack. */
  readonly assemblyDir: string;
  /** The SES identity verified in the rehearsal's account (default: the domain of the stack's MailFrom). */
  readonly sesIdentity?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SentEmail {
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
}

const DAY_MS = 86_400_000;

/**
 * The synthesized stack, stood up on this machine as AWS would run it: each function's bundle in
 * its own runtime with its template environment and its role's credentials, every AWS call
 * through the IAM gateway (policies evaluated) to the emulators, a sandbox receiver for webhook
 * events, and the rehearsal's clock, which journeys move forward.
 */
export class Rehearsal {
  clockOffsetMs = 0;
  private readonly hosts = new Map<string, LambdaHost>();

  private constructor(
    readonly deployment: Deployment,
    readonly model: StackModel,
    readonly gateway: IamGateway,
    readonly receiver: SandboxReceiver,
    private readonly emulators: Emulator[],
    private readonly ses: string,
    private readonly home: string,
    private readonly webhookHosts: Record<string, string>,
  ) {}

  static async open(options: RehearsalOptions): Promise<Rehearsal> {
    const deployment = new Deployment(readAssembly(options.assemblyDir));
    const model = stackModel(deployment);
    const home = mkdtempSync(join(tmpdir(), 'gatekeeper-rehearsal-'));
    const [dynamodb, ses] = await Promise.all([
      startDynamoDb({ host: '127.0.0.1', port: 0, dataDir: home }),
      startSes({ host: '127.0.0.1', port: 0 }),
    ]);
    await createTable(dynamodb.endpoint, model);

    const sesIdentity = options.sesIdentity ?? model.outputs.MailFrom?.split('@')[1] ?? 'sandbox.invalid';
    const world: AwsWorld = {
      account: deployment.account,
      region: deployment.region,
      stackId: deployment.stackId,
      stackName: deployment.assembly.stackName,
      tables: new Map([
        [model.table.name, { arn: model.table.arn, partitionKey: model.table.partitionKey, indexPartitionKeys: indexKeys(model) }],
      ]),
      secretArn: (id) => model.secrets.find((secret) => secret.arn === id || secret.arn.split(':').at(-1)?.startsWith(`${id}-`))?.arn,
      sesIdentity: (from) => (from === sesIdentity ? from : sesIdentity),
    };
    const secrets = new Map(
      model.secrets.map((secret) => [
        secret.arn,
        {
          value: generatedSecret(secret.generate ?? {}),
          version: 1,
          ...(secret.kmsKeyArn ? { kmsKeyArn: secret.kmsKeyArn } : {}),
          ...(secret.resourcePolicy ? { resourcePolicy: secret.resourcePolicy } : {}),
        },
      ]),
    );
    const gateway = new IamGateway(
      world,
      { dynamodb: dynamodb.endpoint, ses: ses.endpoint },
      { secrets, keyPolicies: model.keyPolicies, outputs: model.outputs },
    );
    await gateway.start();
    const webhookUrl = model.functions.map((fn) => fn.environment.WEBHOOK_URL).find(Boolean);
    const receiver = new SandboxReceiver(() => {
      const arn = model.outputs.WebhookSecretArn;
      return arn ? secrets.get(arn)?.value : undefined;
    });
    await receiver.start();
    const webhookHosts = webhookUrl ? { [new URL(webhookUrl).origin]: receiver.origin } : {};
    const rehearsal = new Rehearsal(deployment, model, gateway, receiver, [dynamodb, ses], ses.endpoint, home, webhookHosts);
    receiver.clock = () => Date.now() + rehearsal.clockOffsetMs;
    return rehearsal;
  }

  /** Moves the rehearsal's clock (every function's, the receiver's, the operator's). */
  advance(days: number): void {
    this.clockOffsetMs += days * DAY_MS;
  }

  /** The function of a given short name (`sweep`, `verify`, …). */
  fn(name: string): DeployedFunction {
    const found = this.model.functions.find((fn) => fn.name === name);
    if (!found) throw new Error(`The stack has no ${name} function`);
    return found;
  }

  principalFor(fn: DeployedFunction): Principal {
    const role = this.model.roles.get(fn.roleArn);
    if (!role) throw new Error(`${fn.name}: its role ${fn.roleArn} is not in the template`);
    return this.gateway.issue(fn.name, role.arn, role.policies, fn.functionName);
  }

  /** The function's runtime, started on first use (its cold start). */
  host(fn: DeployedFunction): LambdaHost {
    let host = this.hosts.get(fn.name);
    if (!host) {
      host = new LambdaHost(fn, this.principalFor(fn), {
        region: this.deployment.region,
        gateway: this.gateway.endpoint,
        hosts: this.webhookHosts,
        home: this.home,
      });
      this.hosts.set(fn.name, host);
    }
    return host;
  }

  invoke<T = unknown>(fn: DeployedFunction, event: unknown): Promise<T> {
    return this.host(fn).invoke<T>(event, this.clockOffsetMs);
  }

  /** An HTTP request as API Gateway (HTTP API, payload 2.0) routes it by the template's routes and passes it on. */
  async http(method: string, target: string, options: { json?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const url = new URL(target, `https://${this.model.apiDomain}`);
    const routeKey = this.routeKeyFor(url.pathname);
    const fn = this.model.routes.get(routeKey)!;
    const apiId = this.model.apiDomain.split('.')[0];
    const routePath = routeKey === '$default' ? '/$default' : routeKey.split(' ')[1];
    this.assertInvokable(
      fn,
      'apigateway.amazonaws.com',
      `arn:aws:execute-api:${this.deployment.region}:${this.deployment.account}:${apiId}/$default/${method}${routePath}`,
    );
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    const headers: Record<string, string> = {
      host: this.model.apiDomain,
      'user-agent': 'rehearsal',
      ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      accept: options.headers?.accept ?? 'application/json',
      ...options.headers,
    };
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
    const now = new Date(Date.now() + this.clockOffsetMs);
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      requestContext: {
        accountId: this.deployment.account,
        apiId: this.model.apiDomain.split('.')[0],
        domainName: this.model.apiDomain,
        domainPrefix: this.model.apiDomain.split('.')[0],
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'rehearsal' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(body !== undefined ? { body: Buffer.from(body).toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
    };
    const result = await this.invoke<{ statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }>(
      fn,
      event,
    );
    const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
    return { status: result.statusCode, headers: result.headers ?? {}, body: text };
  }

  private routeKeyFor(path: string): string {
    for (const key of this.model.routes.keys()) {
      const routePath = key.split(' ')[1];
      if (!routePath) continue;
      if (routePath.endsWith('/{proxy+}')) {
        const prefix = routePath.slice(0, -'{proxy+}'.length);
        if (path.startsWith(prefix) && path.length > prefix.length) return key;
      } else if (routePath === path) return key;
    }
    return '$default';
  }

  /** The function's resource policy must let the service invoke it (no permission: AWS never calls it). */
  private assertInvokable(fn: DeployedFunction, service: string, sourceArn?: string): void {
    const allowed = this.model.invokePermissions.some(
      (permission) =>
        permission.functionArn === fn.arn &&
        permission.principal === service &&
        (sourceArn === undefined || permission.sourceArn === undefined || matchesArn(permission.sourceArn, sourceArn)),
    );
    if (!allowed) throw new Error(`${service} may not invoke ${fn.name}: no AWS::Lambda::Permission lets it`);
  }

  /** Each schedule's target, invoked with the event EventBridge sends. */
  async schedule(): Promise<unknown[]> {
    const results = [];
    for (const rule of this.model.schedules) {
      this.assertInvokable(rule.target, 'events.amazonaws.com', rule.ruleArn);
      const now = new Date(Date.now() + this.clockOffsetMs);
      results.push(
        await this.invoke(rule.target, {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: this.deployment.account,
          time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: this.deployment.region,
          resources: [rule.ruleArn],
          detail: {},
        }),
      );
    }
    return results;
  }

  /**
   * SES reporting a bounce or complaint for the stack's configuration set: published, as SES does,
   * to each topic its event destination names (if the topic's policies let SES publish), then
   * delivered to the functions subscribed to it.
   */
  async mailEvent(event: 'bounce' | 'complaint', message: unknown): Promise<void> {
    const destinations = this.model.mailEventDestinations.filter((destination) => destination.events.includes(event));
    if (!destinations.length) throw new Error(`No configuration set sends ${event} events anywhere`);
    for (const destination of destinations) {
      const source = `arn:aws:ses:${this.deployment.region}:${this.deployment.account}:configuration-set/${destination.configurationSet}`;
      await this.publish('ses.amazonaws.com', source, destination.topicArn, JSON.stringify(message));
    }
  }

  /** The alarms on `metricName` entering ALARM: CloudWatch publishes to each of their actions' topics. */
  async alarm(metricName: string): Promise<void> {
    const alarms = this.model.alarms.filter((alarm) => alarm.metricName === metricName);
    if (!alarms.length) throw new Error(`No alarm watches ${metricName}`);
    for (const alarm of alarms) {
      const now = new Date(Date.now() + this.clockOffsetMs).toISOString();
      const notification = {
        AlarmName: alarm.name,
        AlarmArn: alarm.arn,
        NewStateValue: 'ALARM',
        OldStateValue: 'OK',
        NewStateReason: 'Rehearsal',
        StateChangeTime: now,
        Region: this.deployment.region,
        AWSAccountId: this.deployment.account,
      };
      for (const topicArn of alarm.actions)
        await this.publish('cloudwatch.amazonaws.com', alarm.arn, topicArn, JSON.stringify(notification));
    }
  }

  /** A service's publish to a topic (checked against the topic's and its key's policies), then SNS's delivery to each subscribed function. */
  private async publish(service: string, sourceArn: string, topicArn: string, message: string): Promise<void> {
    const topic = this.model.topics.get(topicArn);
    if (!topic) throw new Error(`${sourceArn} publishes to ${topicArn}, which is not a topic of the stack`);
    const checks = await this.gateway.servicePublishes(service, sourceArn, { arn: topicArn, ...topic });
    if (checks.some((check) => !check.allowed)) return;
    for (const subscription of this.model.subscriptions.filter((candidate) => candidate.topicArn === topicArn)) {
      this.assertInvokable(subscription.target, 'sns.amazonaws.com', subscription.topicArn);
      const now = new Date(Date.now() + this.clockOffsetMs);
      await this.invoke(subscription.target, {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${subscription.topicArn}:${randomUUID()}`,
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: subscription.topicArn,
              Subject: null,
              Message: message,
              Timestamp: now.toISOString(),
              SignatureVersion: '1',
              Signature: 'rehearsal',
              SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/rehearsal.pem',
              UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
              MessageAttributes: {},
            },
          },
        ],
      });
    }
  }

  /** Every custom resource's Create, run as CloudFormation runs it (its response PUT to a pre-signed URL). */
  async deployCustomResources(): Promise<void> {
    for (const resource of this.model.customResources) {
      const response = await this.receiver.expectCloudFormationResponse(async (responseUrl) => {
        await this.invoke(resource.serviceToken, {
          RequestType: 'Create',
          ServiceToken: resource.serviceToken.arn,
          ResponseURL: responseUrl,
          StackId: this.deployment.stackId,
          RequestId: randomUUID(),
          LogicalResourceId: resource.logicalId,
          ResourceType: resource.type,
          ResourceProperties: resource.properties as Record<string, Json>,
        });
      });
      if (response.Status !== 'SUCCESS')
        throw new Error(`${resource.logicalId} (${resource.type}) failed to create: ${String(response.Reason)}`);
    }
  }

  /** The emails SES accepted for `address`, oldest first. */
  async emailsTo(address: string): Promise<SentEmail[]> {
    const store = (await (await fetch(`${this.ses}/store`)).json()) as { emails: SentEmail[] };
    return store.emails.filter((email) => email.destination.to.includes(address));
  }

  /** `npm run admin -- <args> --stack <this stack>` under the operator's role (or, without one, the operator policy alone). */
  operator(args: string[], role = this.operatorPrincipal()): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      AWS_ACCESS_KEY_ID: role.accessKeyId,
      AWS_SECRET_ACCESS_KEY: role.secretAccessKey,
      AWS_SESSION_TOKEN: role.sessionToken,
      AWS_REGION: this.deployment.region,
      AWS_CONFIG_FILE: join(this.home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(this.home, 'no-credentials'),
      REHEARSAL_CLOCK_OFFSET_MS: String(this.clockOffsetMs),
      ...Object.fromEntries(
        ['CLOUDFORMATION', 'DYNAMODB', 'SES', 'SECRETS_MANAGER', 'STS'].map((service) => [
          `AWS_ENDPOINT_URL_${service}`,
          this.gateway.endpoint,
        ]),
      ),
    };
    const argv = ['--import', 'tsx', '--import', CLOCK, join(root, 'admin/cli.ts'), '--stack', this.deployment.assembly.stackName, ...args];
    return new Promise((resolve) => {
      execFile(process.execPath, argv, { env, cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  private operatorPrincipal(): Principal {
    const roleArn = this.model.outputs.OperatorRoleArn;
    const role = roleArn ? this.model.roles.get(roleArn) : undefined;
    if (role) return this.gateway.issue('operator', role.arn, role.policies, 'operator');
    const policyArn = this.model.outputs.OperatorPolicyArn;
    const policy = [...this.model.roles.values()].flatMap((r) => r.policies).find((p) => policyArn?.endsWith(p.name));
    return this.gateway.issue('operator', `arn:aws:iam::${this.deployment.account}:role/operator`, policy ? [policy] : [], 'operator');
  }

  /** Log lines of every function, for a report when something fails. */
  logsOf(name: string): string[] {
    return this.hosts.get(name)?.logs() ?? [];
  }

  async close(): Promise<void> {
    for (const host of this.hosts.values()) host.close();
    await Promise.all([this.gateway.close(), this.receiver.close(), ...this.emulators.map((emulator) => emulator.close())]);
    rmSync(this.home, { recursive: true, force: true });
  }
}

function indexKeys(model: StackModel): Record<string, string> {
  const indexes = (model.table.createTable.GlobalSecondaryIndexes ?? []) as {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: string }[];
  }[];
  return Object.fromEntries(
    indexes.map((index) => [index.IndexName, index.KeySchema.find((key) => key.KeyType === 'HASH')!.AttributeName]),
  );
}

/** The table exactly as the template defines it (keys, attributes, indexes), in the emulator. */
async function createTable(endpoint: string, model: StackModel): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' },
  });
  const definition = model.table.createTable as Record<string, unknown>;
  await client.send(
    new CreateTableCommand({
      TableName: model.table.name,
      AttributeDefinitions: definition.AttributeDefinitions as never,
      KeySchema: definition.KeySchema as never,
      BillingMode: 'PAY_PER_REQUEST',
      ...(definition.GlobalSecondaryIndexes
        ? {
            GlobalSecondaryIndexes: (definition.GlobalSecondaryIndexes as Record<string, unknown>[]).map((index) => ({
              IndexName: index.IndexName as string,
              KeySchema: index.KeySchema as never,
              Projection: index.Projection as never,
            })),
          }
        : {}),
    }),
  );
  client.destroy();
}

function matchesArn(pattern: string, arn: string): boolean {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(arn);
}
