import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The account and region the rehearsal deploys into (the stack names neither: it takes the deploy's own). */
export const REHEARSAL_ACCOUNT = '111122223333';
export const REHEARSAL_REGION = 'us-east-1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
  readonly DependsOn?: string | string[];
}

/** A CDK cloud assembly (a `cdk.out` folder): one stack's template and the folders of its assets. */
export interface CloudAssembly {
  readonly stackName: string;
  readonly resources: Readonly<Record<string, Resource>>;
  readonly outputs: Readonly<Record<string, Json>>;
  /** S3 object key (as the template names a Lambda's code) → the asset's folder. */
  readonly assetFolders: ReadonlyMap<string, string>;
}

export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
}

/** Reads the stack's template and asset manifest from a `cdk.out` folder. */
export function readAssembly(dir: string): CloudAssembly {
  const manifestFile = join(dir, 'manifest.json');
  const templateName = existsSync(manifestFile)
    ? templateOf(JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest)
    : readdirSync(dir).find((name) => name.endsWith('.template.json'));
  if (!templateName) throw new AssemblyError(`${dir} holds no stack template (*.template.json): is it a cdk.out folder?`);
  const template = JSON.parse(readFileSync(join(dir, templateName), 'utf8')) as {
    Resources: Record<string, Resource>;
    Outputs?: Record<string, Json>;
  };
  const stackName = templateName.replace(/\.template\.json$/, '');
  const assetFolders = new Map<string, string>();
  const assetsFile = join(dir, `${stackName}.assets.json`);
  if (existsSync(assetsFile)) {
    const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as {
      files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };
    for (const file of Object.values(assets.files ?? {})) {
      for (const destination of Object.values(file.destinations)) assetFolders.set(destination.objectKey, join(dir, file.source.path));
    }
  }
  return { stackName, resources: template.Resources, outputs: template.Outputs ?? {}, assetFolders };
}

interface Manifest {
  artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
}

function templateOf(manifest: Manifest): string | undefined {
  const stacks = Object.values(manifest.artifacts ?? {}).filter((artifact) => artifact.type === 'aws:cloudformation:stack');
  return stacks[0]?.properties?.templateFile;
}

/** A short, stable suffix as CloudFormation adds to generated names. */
const suffix = (logicalId: string, length = 12) => createHash('sha256').update(logicalId).digest('hex').slice(0, length).toUpperCase();

/**
 * The names and ARNs CloudFormation would give each resource, and the intrinsic functions resolved
 * against them, so the functions' environment and the roles' policies read as they would in AWS.
 */
export class Deployment {
  readonly account = REHEARSAL_ACCOUNT;
  readonly region = REHEARSAL_REGION;
  readonly partition = 'aws';

  constructor(readonly assembly: CloudAssembly) {}

  get stackId(): string {
    return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.assembly.stackName}/${suffix('stack', 8).toLowerCase()}-rehearsal`;
  }

  resource(logicalId: string): Resource {
    const found = this.assembly.resources[logicalId];
    if (!found) throw new AssemblyError(`The template names ${logicalId}, which it does not define`);
    return found;
  }

  /** `Ref` of a resource, as CloudFormation returns it for its type. */
  ref(logicalId: string): string {
    const { Type } = this.resource(logicalId);
    const name = `${this.assembly.stackName}-${logicalId}-${suffix(logicalId)}`.slice(0, 64);
    switch (Type) {
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${logicalId}-${suffix(logicalId, 6)}`;
      case 'AWS::KMS::Key':
        return `${suffix(logicalId, 8)}-0000-4000-8000-${suffix(`${logicalId}key`)}`.toLowerCase();
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${this.region}:${this.account}:${name}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${this.account}:policy/${name}`;
      case 'AWS::ApiGatewayV2::Api':
        return suffix(logicalId, 10).toLowerCase();
      default:
        return name;
    }
  }

  /** `Fn::GetAtt`, for the attributes this stack reads. */
  getAtt(logicalId: string, attribute: string): string {
    const { Type } = this.resource(logicalId);
    const ref = this.ref(logicalId);
    if (attribute !== 'Arn') {
      if (Type === 'AWS::ApiGatewayV2::Api' && attribute === 'ApiEndpoint')
        return `https://${ref}.execute-api.${this.region}.amazonaws.com`;
      if (Type === 'AWS::SQS::Queue' && attribute === 'QueueName') return ref.split('/').at(-1)!;
      if (Type === 'AWS::IAM::Role' && attribute === 'RoleId') return `AROA${suffix(logicalId, 16)}`;
      return `${ref}.${attribute}`;
    }
    const arn = (service: string, resource: string, separator = ':') =>
      `arn:aws:${service}:${this.region}:${this.account}:${resource}${separator}${ref}`;
    switch (Type) {
      case 'AWS::Lambda::Function':
        return arn('lambda', 'function');
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${this.account}:role/${ref}`;
      case 'AWS::DynamoDB::Table':
        return arn('dynamodb', 'table', '/');
      case 'AWS::KMS::Key':
        return arn('kms', 'key', '/');
      case 'AWS::Logs::LogGroup':
        return `${arn('logs', 'log-group')}:*`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${this.region}:${this.account}:${ref.split('/').at(-1)}`;
      case 'AWS::Events::Rule':
        return arn('events', 'rule', '/');
      default:
        if (ref.startsWith('arn:')) return ref;
        throw new AssemblyError(`The rehearsal does not know the Arn of ${Type} (${logicalId})`);
    }
  }

  pseudo(name: string): string {
    const values: Record<string, string> = {
      'AWS::Region': this.region,
      'AWS::AccountId': this.account,
      'AWS::Partition': this.partition,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.assembly.stackName,
      'AWS::StackId': this.stackId,
    };
    const value = values[name];
    if (value === undefined) throw new AssemblyError(`The rehearsal does not know the pseudo parameter ${name}`);
    return value;
  }

  /** A template value with every intrinsic function replaced by what CloudFormation would put there. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return this.intrinsic(keys[0]!, value[keys[0]!]!);
    return Object.fromEntries(keys.map((key) => [key, this.resolve(value[key]!)]));
  }

  text(value: Json): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new AssemblyError(`Expected a string, got ${JSON.stringify(resolved)}`);
    return resolved;
  }

  private intrinsic(name: string, argument: Json): Json {
    switch (name) {
      case 'Ref': {
        const target = String(argument);
        return target.startsWith('AWS::') ? this.pseudo(target) : this.ref(target);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split('.');
        return this.getAtt(logicalId!, attribute!);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, Json[]];
        return (this.resolve(parts) as Json[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [Json, Json];
        return (this.resolve(list) as Json[])[Number(this.resolve(index))] ?? null;
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, Json];
        return this.text(source).split(separator);
      }
      case 'Fn::Sub': {
        const [template, variables] = Array.isArray(argument) ? (argument as [string, Record<string, Json>]) : [String(argument), {}];
        return template.replace(/\$\{([^}!]+)\}/g, (_match, reference: string) => {
          if (reference in variables) return String(this.resolve(variables[reference]!));
          if (reference.startsWith('AWS::')) return this.pseudo(reference);
          const [logicalId, attribute] = reference.split('.');
          return attribute ? this.getAtt(logicalId!, attribute) : this.ref(logicalId!);
        });
      }
      default:
        throw new AssemblyError(`The rehearsal does not resolve ${name}`);
    }
  }

  /** Every resource of a type, with its properties resolved. */
  ofType(type: string): { logicalId: string; properties: Record<string, Json> }[] {
    return Object.entries(this.assembly.resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({ logicalId, properties: this.resolve(resource.Properties ?? {}) as Record<string, Json> }));
  }

  /** The stack's outputs as `DescribeStacks` reports them. */
  outputs(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.assembly.outputs).map(([key, output]) => [key, this.text((output as { Value: Json }).Value)]),
    );
  }
}

export type { Json };
