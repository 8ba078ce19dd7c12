import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssemblyError, type Deployment, type Json } from './cloud-assembly';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, Json>[];
}

/** A Lambda function as the template deploys it. */
export interface DeployedFunction {
  readonly logicalId: string;
  /** The handler's short name (`SweepFunctionC5ABE24A` → `sweep`). */
  readonly name: string;
  readonly functionName: string;
  readonly arn: string;
  readonly bundle: string;
  readonly environment: Record<string, string>;
  readonly roleArn: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

export interface DeployedRole {
  readonly arn: string;
  readonly logicalId: string;
  readonly policies: { name: string; policy: PolicyDocument }[];
}

export interface DeployedSecret {
  readonly logicalId: string;
  readonly arn: string;
  readonly generate?: Record<string, Json>;
  /** The customer-managed key's ARN; none: the account's AWS-managed key for Secrets Manager. */
  readonly kmsKeyArn?: string;
  readonly resourcePolicy?: PolicyDocument;
}

export interface DeployedTable {
  readonly name: string;
  readonly arn: string;
  readonly partitionKey: string;
  readonly createTable: Record<string, Json>;
}

/** What the rehearsal reads from a synthesized stack: code, environment, roles, keys and wiring. */
export interface StackModel {
  readonly functions: readonly DeployedFunction[];
  readonly roles: ReadonlyMap<string, DeployedRole>;
  readonly keyPolicies: ReadonlyMap<string, PolicyDocument>;
  readonly secrets: readonly DeployedSecret[];
  readonly table: DeployedTable;
  /** API Gateway route key (`ANY /verify`, `$default`) → the function it invokes. */
  readonly routes: ReadonlyMap<string, DeployedFunction>;
  /** Route keys API Gateway authorizes with IAM (SigV4): only a caller allowed `execute-api:Invoke` gets through. */
  readonly iamRoutes: ReadonlySet<string>;
  readonly apiDomain: string;
  readonly schedules: readonly { ruleArn: string; expression: string; target: DeployedFunction }[];
  /** SNS topic ARN → the functions subscribed to it. */
  readonly subscriptions: readonly { topicArn: string; topicLogicalId: string; target: DeployedFunction }[];
  readonly customResources: readonly {
    logicalId: string;
    type: string;
    serviceToken: DeployedFunction;
    properties: Record<string, Json>;
  }[];
  /** SNS topics by ARN: their key (if encrypted) and their access policy (none: SNS's default). */
  readonly topics: ReadonlyMap<string, { logicalId: string; kmsKeyArn?: string; policy?: PolicyDocument }>;
  /** CloudWatch alarms: what they watch and the topics their ALARM state publishes to. */
  readonly alarms: readonly { logicalId: string; name: string; arn: string; metricName: string; actions: readonly string[] }[];
  /** SES configuration sets' event destinations: which events go to which topic. */
  readonly mailEventDestinations: readonly { configurationSet: string; events: readonly string[]; topicArn: string }[];
  /** What each service may invoke: the functions' resource policies (AWS::Lambda::Permission). */
  readonly invokePermissions: readonly { functionArn: string; principal: string; sourceArn?: string }[];
  readonly outputs: Record<string, string>;
}

const handlerName = (logicalId: string) => {
  const base = logicalId.replace(/Function[0-9A-F]{8}$/, '');
  return base[0]!.toLowerCase() + base.slice(1);
};

export function stackModel(deployment: Deployment): StackModel {
  const arnOfFunction = new Map<string, DeployedFunction>();
  const functions = deployment.ofType('AWS::Lambda::Function').map(({ logicalId, properties }) => {
    const code = properties.Code as Record<string, Json>;
    const bundle = deployment.assembly.assetFolders.get(String(code.S3Key));
    if (!bundle || !existsSync(join(bundle, 'index.mjs'))) {
      throw new AssemblyError(`${logicalId}: its code (${String(code.S3Key)}) is not a bundle in the assembly`);
    }
    const variables = ((properties.Environment as Record<string, Json> | undefined)?.Variables ?? {}) as Record<string, Json>;
    const fn: DeployedFunction = {
      logicalId,
      name: handlerName(logicalId),
      functionName: deployment.ref(logicalId),
      arn: deployment.getAtt(logicalId, 'Arn'),
      bundle,
      environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
      roleArn: String(properties.Role),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
    };
    arnOfFunction.set(fn.arn, fn);
    return fn;
  });
  const functionAt = (arn: Json, what: string) => {
    const found = arnOfFunction.get(String(arn));
    if (!found) throw new AssemblyError(`${what} names ${String(arn)}, which is no function of the stack`);
    return found;
  };

  const managed = new Map(
    deployment
      .ofType('AWS::IAM::ManagedPolicy')
      .map(({ logicalId, properties }) => [
        deployment.ref(logicalId),
        { name: logicalId, policy: properties.PolicyDocument as unknown as PolicyDocument },
      ]),
  );
  const roles = new Map<string, DeployedRole>();
  for (const { logicalId, properties } of deployment.ofType('AWS::IAM::Role')) {
    const arn = deployment.getAtt(logicalId, 'Arn');
    const policies = ((properties.ManagedPolicyArns ?? []) as string[]).map((policyArn) => {
      const found = managed.get(policyArn);
      if (!found) throw new AssemblyError(`${logicalId} attaches ${policyArn}, which the rehearsal cannot read`);
      return found;
    });
    for (const inline of (properties.Policies ?? []) as Record<string, Json>[]) {
      policies.push({ name: String(inline.PolicyName), policy: inline.PolicyDocument as unknown as PolicyDocument });
    }
    roles.set(arn, { arn, logicalId, policies });
  }
  const roleByName = new Map([...roles.values()].map((role) => [role.arn.split('/').at(-1)!, role]));
  for (const { logicalId, properties } of deployment.ofType('AWS::IAM::Policy')) {
    for (const roleName of (properties.Roles ?? []) as string[]) {
      roleByName.get(roleName)?.policies.push({ name: logicalId, policy: properties.PolicyDocument as unknown as PolicyDocument });
    }
  }

  const keyPolicies = new Map(
    deployment
      .ofType('AWS::KMS::Key')
      .map(({ logicalId, properties }) => [deployment.getAtt(logicalId, 'Arn'), properties.KeyPolicy as unknown as PolicyDocument]),
  );
  const secretPolicies = new Map(
    deployment
      .ofType('AWS::SecretsManager::ResourcePolicy')
      .map(({ properties }) => [String(properties.SecretId), properties.ResourcePolicy as unknown as PolicyDocument]),
  );
  const secrets = deployment.ofType('AWS::SecretsManager::Secret').map(({ logicalId, properties }) => {
    const arn = deployment.ref(logicalId);
    const policy = secretPolicies.get(arn);
    return {
      logicalId,
      arn,
      ...(properties.GenerateSecretString ? { generate: properties.GenerateSecretString as Record<string, Json> } : {}),
      ...(properties.KmsKeyId ? { kmsKeyArn: String(properties.KmsKeyId) } : {}),
      ...(policy ? { resourcePolicy: policy } : {}),
    };
  });

  const tables = deployment.ofType('AWS::DynamoDB::Table');
  if (tables.length !== 1) throw new AssemblyError(`The stack should have one table, it has ${tables.length}`);
  const [tableResource] = tables;
  const keySchema = tableResource!.properties.KeySchema as { AttributeName: string; KeyType: string }[];
  const table: DeployedTable = {
    name: deployment.ref(tableResource!.logicalId),
    arn: deployment.getAtt(tableResource!.logicalId, 'Arn'),
    partitionKey: keySchema.find((key) => key.KeyType === 'HASH')!.AttributeName,
    createTable: tableResource!.properties,
  };

  const integrations = new Map(
    deployment
      .ofType('AWS::ApiGatewayV2::Integration')
      .map(({ logicalId, properties }) => [deployment.ref(logicalId), functionAt(properties.IntegrationUri!, logicalId)]),
  );
  const routes = new Map<string, DeployedFunction>();
  const iamRoutes = new Set<string>();
  for (const { logicalId, properties } of deployment.ofType('AWS::ApiGatewayV2::Route')) {
    const target = integrations.get(String(properties.Target).replace(/^integrations\//, ''));
    if (!target) throw new AssemblyError(`${logicalId} (${String(properties.RouteKey)}) has no Lambda integration`);
    routes.set(String(properties.RouteKey), target);
    if (properties.AuthorizationType === 'AWS_IAM') iamRoutes.add(String(properties.RouteKey));
  }
  const [api] = deployment.ofType('AWS::ApiGatewayV2::Api');

  const schedules = deployment.ofType('AWS::Events::Rule').flatMap(({ logicalId, properties }) =>
    ((properties.Targets ?? []) as Record<string, Json>[]).map((target) => ({
      ruleArn: deployment.getAtt(logicalId, 'Arn'),
      expression: String(properties.ScheduleExpression),
      target: functionAt(target.Arn!, logicalId),
    })),
  );
  const topicIds = new Map(deployment.ofType('AWS::SNS::Topic').map(({ logicalId }) => [deployment.ref(logicalId), logicalId]));
  const subscriptions = deployment
    .ofType('AWS::SNS::Subscription')
    .filter(({ properties }) => properties.Protocol === 'lambda')
    .map(({ logicalId, properties }) => ({
      topicArn: String(properties.TopicArn),
      topicLogicalId: topicIds.get(String(properties.TopicArn)) ?? '',
      target: functionAt(properties.Endpoint!, logicalId),
    }));
  const customResources = Object.entries(deployment.assembly.resources)
    .filter(([, resource]) => resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource')
    .map(([logicalId, resource]) => {
      const properties = deployment.resolve(resource.Properties ?? {}) as Record<string, Json>;
      return { logicalId, type: resource.Type, serviceToken: functionAt(properties.ServiceToken!, logicalId), properties };
    });
  const invokePermissions = deployment.ofType('AWS::Lambda::Permission').map(({ properties }) => ({
    functionArn: String(properties.FunctionName),
    principal: String(properties.Principal),
    ...(properties.SourceArn ? { sourceArn: String(properties.SourceArn) } : {}),
  }));

  const topicPolicies = new Map<string, PolicyDocument>();
  for (const { properties } of deployment.ofType('AWS::SNS::TopicPolicy')) {
    for (const topic of (properties.Topics ?? []) as string[])
      topicPolicies.set(topic, properties.PolicyDocument as unknown as PolicyDocument);
  }
  const topics = new Map(
    deployment.ofType('AWS::SNS::Topic').map(({ logicalId, properties }) => {
      const arn = deployment.ref(logicalId);
      const policy = topicPolicies.get(arn);
      return [
        arn,
        {
          logicalId,
          ...(properties.KmsMasterKeyId ? { kmsKeyArn: String(properties.KmsMasterKeyId) } : {}),
          ...(policy ? { policy } : {}),
        },
      ];
    }),
  );
  const alarms = deployment.ofType('AWS::CloudWatch::Alarm').map(({ logicalId, properties }) => {
    const name = deployment.ref(logicalId);
    return {
      logicalId,
      name,
      arn: `arn:aws:cloudwatch:${deployment.region}:${deployment.account}:alarm:${name}`,
      metricName: String(properties.MetricName ?? ''),
      actions: ((properties.AlarmActions ?? []) as string[]).map(String),
    };
  });
  const mailEventDestinations = deployment.ofType('AWS::SES::ConfigurationSetEventDestination').flatMap(({ properties }) => {
    const destination = properties.EventDestination as {
      MatchingEventTypes?: string[];
      SnsDestination?: { TopicARN: string };
      Enabled?: boolean;
    };
    if (!destination.SnsDestination || destination.Enabled === false) return [];
    return [
      {
        configurationSet: String(properties.ConfigurationSetName),
        events: destination.MatchingEventTypes ?? [],
        topicArn: destination.SnsDestination.TopicARN,
      },
    ];
  });

  return {
    functions,
    roles,
    keyPolicies,
    secrets,
    table,
    routes,
    iamRoutes,
    apiDomain: api ? `${deployment.ref(api.logicalId)}.execute-api.${deployment.region}.amazonaws.com` : 'api.invalid',
    schedules,
    subscriptions,
    customResources,
    topics,
    alarms,
    mailEventDestinations,
    invokePermissions,
    outputs: deployment.outputs(),
  };
}
