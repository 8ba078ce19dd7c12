import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import {
  type Authorization,
  type AwsWorld,
  accessDenied,
  authorizationsFor,
  operationOf,
  type SignedRequest,
  UnknownRequest,
} from './aws-requests';
import { type LoopbackServer, loopbackServer } from './loopback-server';
import type { PolicyDocument } from './stack-model';

/** Who may call: an access key handed to one function (or the operator) for its role. */
export interface Principal {
  /** The function's short name, or `operator`. */
  readonly caller: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly identityPolicies: readonly { name: string; policy: PolicyDocument }[];
}

/** One authorization the gateway decided, as AWS would have. */
export interface Check {
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  readonly allowed: boolean;
  readonly reason?: string;
}

export interface Upstreams {
  readonly dynamodb: string;
  readonly ses: string;
}

/** What the gateway serves itself: Secrets Manager (and the KMS use it implies) and the stack's outputs. */
export interface OwnServices {
  readonly secrets: Map<string, { value: string; version: number; kmsKeyArn?: string; resourcePolicy?: PolicyDocument }>;
  readonly keyPolicies: ReadonlyMap<string, PolicyDocument>;
  readonly outputs: Readonly<Record<string, string>>;
}

const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** The key policy AWS gives the account's managed key for Secrets Manager (`aws/secretsmanager`). */
function managedSecretsKeyPolicy(account: string, region: string): PolicyDocument {
  const viaService = `secretsmanager.${region}.amazonaws.com`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': viaService } },
      },
    ],
  };
}

const MANAGED_KEY = 'alias/aws/secretsmanager';

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

  constructor(
    private readonly world: AwsWorld,
    private readonly upstreams: Upstreams,
    private readonly own: OwnServices,
  ) {}

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
    if (!(await this.signatureHolds(request, principal, region!))) {
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
        return this.forward(this.upstreams.dynamodb, req, body, res);
      case 'ses':
      case 'email':
        if (this.throttledSends > 0) {
          this.throttledSends--;
          res
            .writeHead(400, { 'content-type': 'text/xml' })
            .end(
              '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>rehearsal</RequestId></ErrorResponse>',
            );
          return;
        }
        return this.forward(this.upstreams.ses, req, body, res);
      case 'secretsmanager':
        return this.secretsManager(principal, request, authorizations[0]!.resource, res);
      case 'cloudformation':
        return this.describeStacks(res);
      case 'sts':
        return this.callerIdentity(principal, res);
      default:
        return this.reply(res, 400, 'UnknownOperationException', `No ${service} here`);
    }
  }

  private async signatureHolds(request: SignedRequest, principal: Principal, region: string): Promise<boolean> {
    const authorization = request.headers.authorization!;
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const amzDate = request.headers['x-amz-date'] ?? '';
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return false;
    const [pathname, search = ''] = request.path.split('?');
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(search)) {
      const existing = query[key];
      query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const [hostname, port] = (request.headers.host ?? '').split(':');
    const signer = new SignatureV4({
      credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey, sessionToken: principal.sessionToken },
      region,
      service: /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization)![1]!,
      sha256: Sha256,
    });
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: hostname!,
        ...(port ? { port: Number(port) } : {}),
        path: pathname!,
        query,
        headers: Object.fromEntries(signedNames.map((name) => [name, request.headers[name] ?? ''])),
        body: request.body,
      },
      {
        signingDate: new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!)),
        signableHeaders: new Set(signedNames),
      },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1];
    const given = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
    return expected !== undefined && expected === given;
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
    const result = await runSimulation(
      {
        request: {
          principal,
          action: authorization.action,
          resource: { resource: authorization.resource, accountId: this.world.account },
          contextVariables: authorization.context,
        },
        identityPolicies: identityPolicies.map(({ name, policy }) => ({ name, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
      },
      {},
    );
    const outcome = (result as { overallResult?: string }).overallResult;
    const analysis = (result as { result?: { analysis?: Analysis } }).result?.analysis;
    const context = Object.fromEntries(Object.entries(authorization.context).filter(([key]) => !key.startsWith('aws:')));
    const check: Check = {
      caller,
      action: authorization.action,
      resource: authorization.resource,
      context,
      allowed: outcome === 'Allowed',
      ...(outcome === 'Allowed'
        ? {}
        : { reason: explain(who, { ...authorization, context }, outcome, analysis, resourcePolicy !== undefined) }),
    };
    this.checks.push(check);
    return check;
  }

  private sessionArn(principal: Principal): string {
    return `arn:aws:sts::${this.world.account}:assumed-role/${principal.roleArn.split('/').at(-1)}/${principal.sessionName}`;
  }

  private refuse(res: ServerResponse, service: string, principal: Principal, check: Check): void {
    const message = `User: ${this.sessionArn(principal)} is not authorized to perform: ${check.action} on resource: ${check.resource} (${check.reason})`;
    const denial = accessDenied(service, message);
    res.writeHead(denial.status, denial.headers).end(denial.body);
  }

  private reply(res: ServerResponse, status: number, type: string, message: string): void {
    res
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type })
      .end(JSON.stringify({ __type: type, message }));
  }

  private forward(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', upstream);
    return new Promise((resolve) => {
      const outgoing = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve());
      });
      outgoing.on('error', (error) => {
        res.destroy(error);
        resolve();
      });
      outgoing.end(body);
    });
  }

  /** Secrets Manager: the secret's own policy was checked; reading or writing it also needs the key (via Secrets Manager). */
  private async secretsManager(principal: Principal, request: SignedRequest, arn: string, res: ServerResponse): Promise<void> {
    const operation = operationOf(request);
    const secret = this.own.secrets.get(arn);
    if (!secret) return this.reply(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (operation === 'DescribeSecret') {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ ARN: arn, Name: arn.split(':').at(-1) }));
      return;
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
      const denial = accessDenied('secretsmanager', `Access to KMS is not allowed (${kms.reason})`);
      res.writeHead(denial.status, denial.headers).end(denial.body);
      return;
    }
    const input = JSON.parse(request.body) as { SecretString?: string };
    if (operation === 'PutSecretValue') {
      if (typeof input.SecretString !== 'string') return this.reply(res, 400, 'InvalidParameterException', 'SecretString is required here');
      secret.value = input.SecretString;
      secret.version += 1;
    } else if (operation !== 'GetSecretValue') {
      return this.reply(res, 400, 'UnknownOperationException', `The rehearsal does not stand in for ${operation}`);
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
      JSON.stringify({
        ARN: arn,
        Name: arn.split(':').at(-1),
        VersionId: `v${secret.version}`,
        ...(operation === 'GetSecretValue'
          ? { SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000 }
          : {}),
      }),
    );
  }

  private describeStacks(res: ServerResponse): void {
    const outputs = Object.entries(this.own.outputs)
      .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`)
      .join('');
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${this.world.stackName}</StackName><StackId>${this.world.stackId}</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
  }

  private callerIdentity(principal: Principal, res: ServerResponse): void {
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${this.sessionArn(principal)}</Arn><UserId>AROA:${principal.sessionName}</UserId><Account>${this.world.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
  }
}

interface Analysis {
  identityAnalysis?: { result?: string };
  resourceAnalysis?: { result?: string };
}

/** Why a call was refused, and the grant that would allow it. */
function explain(
  who: string,
  authorization: Authorization,
  outcome: string | undefined,
  analysis: Analysis | undefined,
  hasResourcePolicy: boolean,
): string {
  const keys = Object.entries(authorization.context)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(', ')}]` : value}`)
    .join(', ');
  const where = [
    `identity policies: ${analysis?.identityAnalysis?.result ?? outcome}`,
    ...(hasResourcePolicy
      ? [`${authorization.action.startsWith('kms:') ? 'key' : 'resource'} policy: ${analysis?.resourceAnalysis?.result ?? 'no match'}`]
      : []),
  ].join('; ');
  const grantee = /\(role (.+)\)$/.exec(who)?.[1] ?? who;
  return `${who} may not ${authorization.action} on ${authorization.resource}${keys ? ` with ${keys}` : ''} — ${where}. Missing grant: allow ${authorization.action} on that resource${keys ? ' for those keys' : ''} to ${grantee}.`;
}

/** The access policy SNS gives a topic when none is set: the owning account's principals may publish. */
function defaultTopicPolicy(topicArn: string, account: string): PolicyDocument {
  return {
    Version: '2008-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
