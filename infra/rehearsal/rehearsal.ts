import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startDynamoDb, startSes } from '../../local/emulators';
import { alarmNotification, customResourceCreate, scheduledEvent, snsEvent } from '../trigger-events';
import { apiRequest } from './api-request';
import { awsWorld, deployedSecrets } from './aws-world';
import { Deployment, readAssembly } from './cloud-assembly';
import { createTable } from './emulated-table';
import { IamGateway, type Principal } from './iam-gateway';
import { LambdaHost } from './lambda-host';
import { type OperatorRun, runOperatorCli } from './operator-cli';
import { SandboxReceiver } from './sandbox-receiver';
import { sdkEnvironment } from './sdk-environment';
import { type DeployedFunction, type StackModel, stackModel } from './stack-model';
import { wildcardMatch } from './wildcard';

export interface RehearsalOptions {
  /** A `cdk.out` folder holding the stack. */
  readonly assemblyDir: string;
  /** The SES identity verified in the rehearsal's account (default: the domain of the stack's MailFrom). */
  readonly sesIdentity?: string;
}

/** API Gateway's own answer to a request its IAM authorization refuses. */
const FORBIDDEN = { status: 403, headers: {}, body: '{"message":"Forbidden"}', cookies: [] } as const;

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The answer's Set-Cookie values (`name=value; attributes`). */
  readonly cookies: readonly string[];
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

    const world = awsWorld(deployment, model, options.sesIdentity);
    const secrets = deployedSecrets(model);
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
    const registryUrl = model.functions.map((fn) => fn.environment.REGISTRY_URL).find(Boolean);
    const webhookHosts = Object.fromEntries(
      [webhookUrl, registryUrl].filter((url): url is string => Boolean(url)).map((url) => [new URL(url).origin, receiver.origin]),
    );
    const rehearsal = new Rehearsal(deployment, model, gateway, receiver, [dynamodb, ses], ses.endpoint, home, webhookHosts);
    receiver.clock = () => Date.now() + rehearsal.clockOffsetMs;
    gateway.clock = receiver.clock;
    return rehearsal;
  }

  /** The rehearsal's time now. */
  private now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
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
  async http(
    method: string,
    target: string,
    options: { json?: unknown; headers?: Record<string, string>; cookies?: readonly string[]; signedAs?: Principal } = {},
  ): Promise<HttpAnswer> {
    const where = { region: this.deployment.region, account: this.deployment.account, now: this.now() };
    const request = apiRequest(this.model, where, method, target, options);
    this.assertInvokable(request.fn, 'apigateway.amazonaws.com', request.routeArn);
    if (request.iam) {
      // IAM authorization, as API Gateway does it before the function runs: a signed caller allowed to invoke the route.
      const signer = options.signedAs;
      if (!signer || !(await this.gateway.invokes(signer, request.routeArn)).allowed) return FORBIDDEN;
      Object.assign(request.event.requestContext, { authorizer: { iam: { userArn: signer.roleArn, accessKey: signer.accessKeyId } } });
    }
    const result = await this.invoke<{
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
      isBase64Encoded?: boolean;
      cookies?: string[];
    }>(request.fn, request.event);
    const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
    return { status: result.statusCode, headers: result.headers ?? {}, body: text, cookies: result.cookies ?? [] };
  }

  /** The function's resource policy must let the service invoke it (no permission: AWS never calls it). */
  private assertInvokable(fn: DeployedFunction, service: string, sourceArn?: string): void {
    const allowed = this.model.invokePermissions.some(
      (permission) =>
        permission.functionArn === fn.arn &&
        permission.principal === service &&
        (sourceArn === undefined || permission.sourceArn === undefined || wildcardMatch(permission.sourceArn, sourceArn)),
    );
    if (!allowed) throw new Error(`${service} may not invoke ${fn.name}: no AWS::Lambda::Permission lets it`);
  }

  /** Each schedule's target (or only the named function's), invoked with the event EventBridge sends. */
  async schedule(only?: string): Promise<unknown[]> {
    const results = [];
    for (const rule of this.model.schedules.filter((candidate) => !only || candidate.target.name === only)) {
      this.assertInvokable(rule.target, 'events.amazonaws.com', rule.ruleArn);
      results.push(
        await this.invoke(rule.target, scheduledEvent(rule.ruleArn, this.deployment.account, this.deployment.region, this.now())),
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
      const notification = alarmNotification(alarm, this.deployment.account, this.deployment.region, this.now());
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
      await this.invoke(subscription.target, snsEvent(subscription.topicArn, message, this.now()));
    }
  }

  /** Every custom resource's Create, run as CloudFormation runs it (its response PUT to a pre-signed URL). */
  async deployCustomResources(): Promise<void> {
    for (const resource of this.model.customResources) {
      const response = await this.receiver.expectCloudFormationResponse(async (responseUrl) => {
        const request = { ...resource, serviceTokenArn: resource.serviceToken.arn };
        await this.invoke(resource.serviceToken, customResourceCreate(request, this.deployment.stackId, responseUrl));
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

  /** `npm run admin -- --stack <this stack> <args>` under the operator's role (or, without one, the operator policy alone). */
  operator(args: string[], role = this.operatorPrincipal()): Promise<OperatorRun> {
    return runOperatorCli(args, {
      stackName: this.deployment.assembly.stackName,
      clockOffsetMs: this.clockOffsetMs,
      env: sdkEnvironment(role, {
        region: this.deployment.region,
        gateway: this.gateway.endpoint,
        home: this.home,
        services: ['CLOUDFORMATION', 'DYNAMODB', 'SES', 'SECRETS_MANAGER', 'STS'],
      }),
    });
  }

  /** The sandbox, signed in as the role the stack makes for its account (`SandboxRoleArn`). */
  sandboxPrincipal(): Principal {
    const role = this.model.roles.get(this.model.outputs.SandboxRoleArn ?? '');
    if (!role) throw new Error('The stack has no sandbox role: synthesize it with -c sandboxAccountId');
    return this.gateway.issue('sandbox', role.arn, role.policies, 'sandbox');
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
