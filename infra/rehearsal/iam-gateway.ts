import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signatureHolds } from '../sigv4-check';
import { type Answer, accessDenied, callerIdentity, describeStacks, jsonError, sesThrottled } from './aws-answers';
import { type Authorization, type AwsWorld, authorizationsFor, operationOf, type SignedRequest, UnknownRequest } from './aws-requests';
import type { OwnServices, Principal, Upstreams } from './gateway-parties';
import { forwardTo, type LoopbackServer, loopbackServer } from './loopback-server';
import { type Check, checkAccess, defaultTopicPolicy, MANAGED_KEY, managedSecretsKeyPolicy } from './policy-check';
import type { PolicyDocument } from './stack-model';

export type { OwnServices, Principal, Upstreams } from './gateway-parties';
export type { Check } from './policy-check';

/**
 * An AWS endpoint for every service the functions call, in front of the emulators: it maps each
 * signed request's access key to the role of the function it was handed to, checks the SigV4
 * signature, asks an IAM policy evaluator whether that role's policies (and the resource's: key
 * policies, secret policies) allow each action on its resource with the request's condition keys,
 * and answers a denial exactly as AWS does, so the function's own error handling runs. Allowed
 * DynamoDB and SES calls go on to the emulators; Secrets Manager (with its KMS use), CloudFormation
 * DescribeStacks and STS GetCallerIdentity are answered here.
 */
export class IamGateway {
  readonly checks: Check[] = [];
  private readonly principals = new Map<string, Principal>();
  /** Allowed SES sends still to be refused as throttled (a fault the journeys inject). */
  private throttledSends = 0;
  private server?: LoopbackServer;
  endpoint = '';
  /** AWS's time, in every answer's `Date`: the rehearsal's, which journeys move (the operator's CLI checks its clock against it). */
  clock: () => number = Date.now;

  constructor(
    private readonly world: AwsWorld,
    private readonly upstreams: Upstreams,
    private readonly own: OwnServices,
  ) {}

  /**
   * What an administrator does with their own credentials, outside every role the stack made:
   * `aws secretsmanager put-secret-value` of a secret the stack left empty (the OIDC client's key).
   */
  putSecretAsAdministrator(arn: string, value: string): void {
    const secret = this.own.secrets.get(arn);
    if (!secret) throw new Error(`no secret ${arn} in the stack`);
    secret.value = value;
    secret.version += 1;
  }

  /** CloudFormation resolving a `{{resolve:secretsmanager:…}}` reference as the deployer (CloudFront's origin header). */
  secretAsDeployer(arn: string): string | undefined {
    return this.own.secrets.get(arn)?.value;
  }

  /** A fresh key pair for `caller`, acting as `roleArn` (what Lambda puts in a function's environment). */
  issue(caller: string, roleArn: string, identityPolicies: Principal['identityPolicies'], sessionName = caller): Principal {
    const principal: Principal = {
      caller,
      roleArn,
      sessionName,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(24).toString('base64'),
      identityPolicies,
    };
    this.principals.set(principal.accessKeyId, principal);
    return principal;
  }

  async start(): Promise<void> {
    this.server = await loopbackServer((req, body, res) => this.handle(req, body, res));
    this.endpoint = this.server.origin;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  /** The next `count` SES sends that IAM allows are answered `Throttling`, as SES does past its sending rate. */
  throttleSes(count: number): void {
    this.throttledSends = count;
  }

  denied(): Check[] {
    return this.checks.filter((check) => !check.allowed);
  }

  private async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const date = { date: new Date(this.clock()).toUTCString() };
    res.setHeader('date', date.date);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const credential = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
    if (!credential) return this.reply(res, 403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const [, accessKeyId, , region, service] = credential;
    const principal = this.principals.get(accessKeyId!);
    if (!principal) return this.reply(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    const request: SignedRequest = {
      service: service!,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers,
      body: body.toString('utf8'),
    };
    if (!(await signatureHolds(request, principal, region!))) {
      return this.reply(
        res,
        403,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    let authorizations: Authorization[];
    try {
      authorizations = authorizationsFor(request, this.world);
    } catch (error) {
      if (error instanceof UnknownRequest) return this.reply(res, 400, 'UnknownOperationException', error.message);
      throw error;
    }
    for (const authorization of authorizations) {
      const check = await this.decide(principal, authorization, this.resourcePolicyFor(authorization.resource));
      if (!check.allowed) return this.refuse(res, service!, principal, check);
    }
    switch (service) {
      case 'dynamodb':
        return forwardTo(this.upstreams.dynamodb, req, body, res, date);
      case 'ses':
      case 'email':
        if (this.throttledSends > 0) {
          this.throttledSends--;
          return send(res, sesThrottled());
        }
        return forwardTo(this.upstreams.ses, req, body, res, date);
      case 'secretsmanager':
        return this.secretsManager(principal, request, authorizations[0]!.resource, res);
      case 'cloudformation':
        return send(res, describeStacks(this.world.stackName, this.world.stackId, this.own.outputs));
      case 'sts':
        return send(res, callerIdentity(this.sessionArn(principal), principal.sessionName, this.world.account));
      default:
        return this.reply(res, 400, 'UnknownOperationException', `No ${service} here`);
    }
  }

  private resourcePolicyFor(resource: string): PolicyDocument | undefined {
    return this.own.secrets.get(resource)?.resourcePolicy;
  }

  /** A function's (or the operator's) call, under its role's policies and the resource's. */
  private decide(principal: Principal, authorization: Authorization, resourcePolicy?: PolicyDocument): Promise<Check> {
    const context = {
      'aws:PrincipalArn': principal.roleArn,
      'aws:PrincipalAccount': this.world.account,
      'aws:SecureTransport': 'true',
      ...authorization.context,
    };
    const who = `${principal.caller} (role ${principal.roleArn.split('/').at(-1)})`;
    return this.evaluate(
      principal.caller,
      who,
      this.sessionArn(principal),
      principal.identityPolicies,
      { ...authorization, context },
      resourcePolicy,
    );
  }

  /** API Gateway's IAM authorization of a signed caller on a route: its role's policies must allow `execute-api:Invoke`. */
  invokes(principal: Principal, routeArn: string): Promise<Check> {
    return this.decide(principal, { action: 'execute-api:Invoke', resource: routeArn, context: {} });
  }

  /**
   * An AWS service acting for one of the stack's resources (CloudWatch for an alarm, SES for a
   * configuration set) publishing to a topic: the topic's access policy (SNS's default when the
   * template sets none) must allow it, and for an encrypted topic the key's policy must let the
   * service use the key. Recorded like a function's calls.
   */
  async servicePublishes(
    service: string,
    sourceArn: string,
    topic: { arn: string; kmsKeyArn?: string; policy?: PolicyDocument },
  ): Promise<Check[]> {
    const context = {
      'aws:SourceArn': sourceArn,
      'aws:SourceAccount': this.world.account,
      'aws:SourceOwner': this.world.account,
      'aws:SecureTransport': 'true',
    };
    const caller = `${service} for ${sourceArn.split(/[:/]/).at(-1)}`;
    const publish = { action: 'sns:Publish', resource: topic.arn, context };
    const checks = [
      await this.evaluate(caller, caller, service, [], publish, topic.policy ?? defaultTopicPolicy(topic.arn, this.world.account)),
    ];
    if (topic.kmsKeyArn) {
      const keyPolicy = this.own.keyPolicies.get(topic.kmsKeyArn) ?? { Statement: [] };
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        checks.push(await this.evaluate(caller, caller, service, [], { action, resource: topic.kmsKeyArn, context }, keyPolicy));
      }
    }
    return checks;
  }

  /** Asks the evaluator, and records the answer. */
  private async evaluate(
    caller: string,
    who: string,
    principal: string,
    identityPolicies: Principal['identityPolicies'],
    authorization: Authorization,
    resourcePolicy?: PolicyDocument,
  ): Promise<Check> {
    const check = await checkAccess(this.world.account, caller, who, principal, identityPolicies, authorization, resourcePolicy);
    this.checks.push(check);
    return check;
  }

  private sessionArn(principal: Principal): string {
    return `arn:aws:sts::${this.world.account}:assumed-role/${principal.roleArn.split('/').at(-1)}/${principal.sessionName}`;
  }

  private refuse(res: ServerResponse, service: string, principal: Principal, check: Check): void {
    const message = `User: ${this.sessionArn(principal)} is not authorized to perform: ${check.action} on resource: ${check.resource} (${check.reason})`;
    send(res, accessDenied(service, message));
  }

  private reply(res: ServerResponse, status: number, type: string, message: string): void {
    send(res, jsonError(status, type, message));
  }

  /** Secrets Manager: the secret's own policy was checked; reading or writing it also needs the key (via Secrets Manager). */
  private async secretsManager(principal: Principal, request: SignedRequest, arn: string, res: ServerResponse): Promise<void> {
    const operation = operationOf(request);
    const secret = this.own.secrets.get(arn);
    if (!secret) return this.reply(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (operation === 'DescribeSecret') {
      return send(res, { status: 200, headers: JSON_1_1, body: JSON.stringify({ ARN: arn, Name: arn.split(':').at(-1) }) });
    }
    const keyArn = secret.kmsKeyArn ?? `arn:aws:kms:${this.world.region}:${this.world.account}:${MANAGED_KEY}`;
    const keyPolicy = secret.kmsKeyArn
      ? this.own.keyPolicies.get(secret.kmsKeyArn)
      : managedSecretsKeyPolicy(this.world.account, this.world.region);
    const kms = await this.decide(
      principal,
      {
        action: operation === 'GetSecretValue' ? 'kms:Decrypt' : 'kms:GenerateDataKey',
        resource: keyArn,
        context: {
          'kms:ViaService': `secretsmanager.${this.world.region}.amazonaws.com`,
          'kms:CallerAccount': this.world.account,
          'kms:EncryptionContext:SecretARN': arn,
          'kms:EncryptionContextKeys': ['SecretARN', 'SecretVersionId'],
        },
      },
      keyPolicy ?? { Statement: [] },
    );
    if (!kms.allowed) {
      return send(res, accessDenied('secretsmanager', `Access to KMS is not allowed (${kms.reason})`));
    }
    const input = JSON.parse(request.body) as { SecretString?: string };
    if (operation === 'PutSecretValue') {
      if (typeof input.SecretString !== 'string') return this.reply(res, 400, 'InvalidParameterException', 'SecretString is required here');
      secret.value = input.SecretString;
      secret.version += 1;
    } else if (operation !== 'GetSecretValue') {
      return this.reply(res, 400, 'UnknownOperationException', `The rehearsal does not stand in for ${operation}`);
    }
    const read =
      operation === 'GetSecretValue' ? { SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000 } : {};
    send(res, {
      status: 200,
      headers: JSON_1_1,
      body: JSON.stringify({ ARN: arn, Name: arn.split(':').at(-1), VersionId: `v${secret.version}`, ...read }),
    });
  }
}

const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };
function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers).end(answer.body);
}
