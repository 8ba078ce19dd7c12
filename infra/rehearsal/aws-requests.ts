/**
 * What AWS authorizes for one signed API request: the action, the resource ARN and the condition
 * keys the service fills in, read from the request as each service's wire protocol carries it
 * (DynamoDB and Secrets Manager: JSON with `X-Amz-Target`; SES v1, CloudFormation and STS: the
 * query protocol). Pure: no network, no policies.
 */

export interface SignedRequest {
  /** The signing name from the credential scope (`dynamodb`, `ses`, `secretsmanager`, …). */
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Authorization {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

/** The AWS world the requests land in: names resolve to ARNs here. */
export interface AwsWorld {
  readonly account: string;
  readonly region: string;
  readonly stackId: string;
  readonly stackName: string;
  /** Table name → its partition key and its indexes' partition keys. */
  readonly tables: ReadonlyMap<string, { arn: string; partitionKey: string; indexPartitionKeys: Readonly<Record<string, string>> }>;
  /** Secret ARN or name → ARN. */
  secretArn(id: string): string | undefined;
  /** The SES identity (verified domain or address) a sender address sends as. */
  sesIdentity(from: string): string;
}

export class UnknownRequest extends Error {
  override readonly name = 'UnknownRequest';
}

/** The operation a request asks for: `X-Amz-Target`'s suffix, or the query protocol's `Action`. */
export function operationOf(request: SignedRequest): string {
  const target = request.headers['x-amz-target'];
  if (target) return target.split('.').at(-1)!;
  if (request.service === 'ses' && request.path.startsWith('/v2/email/outbound-emails')) return 'SendEmail';
  const action = new URLSearchParams(request.body).get('Action');
  if (action) return action;
  throw new UnknownRequest(`${request.service}: no operation in ${request.method} ${request.path}`);
}

type AttributeValue = { S?: string; N?: string; B?: string };
type Item = Record<string, AttributeValue>;
const scalar = (value: AttributeValue | undefined) => value?.S ?? value?.N ?? value?.B;

/** The partition-key value a KeyConditionExpression fixes (`#pk = :pk AND …`). */
function partitionValue(input: Record<string, unknown>, partitionKey: string): string | undefined {
  const expression = String(input.KeyConditionExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  for (const clause of expression.split(/\s+AND\s+/i)) {
    const match = /^\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim());
    if (match && (names[match[1]!] ?? match[1]) === partitionKey) return scalar(values[match[2]!]);
  }
  return undefined;
}

function dynamodb(request: SignedRequest, world: AwsWorld): Authorization[] {
  const operation = operationOf(request);
  const input = JSON.parse(request.body || '{}') as Record<string, unknown>;
  const action = `dynamodb:${operation}`;
  const tableOf = (name: string) => {
    const table = world.tables.get(name);
    if (!table) return { arn: `arn:aws:dynamodb:${world.region}:${world.account}:table/${name}`, partitionKey: '', indexPartitionKeys: {} };
    return table;
  };
  const common = (extra: Record<string, string | string[]>) => ({
    ...(input.ReturnValues ? { 'dynamodb:ReturnValues': String(input.ReturnValues) } : {}),
    ...(input.ReturnConsumedCapacity ? { 'dynamodb:ReturnConsumedCapacity': String(input.ReturnConsumedCapacity) } : {}),
    ...extra,
  });
  const leading = (keys: (string | undefined)[]): Record<string, string[]> => {
    const present = keys.filter((key): key is string => key !== undefined);
    return present.length ? { 'dynamodb:LeadingKeys': present } : {};
  };
  switch (operation) {
    case 'GetItem':
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem': {
      const table = tableOf(String(input.TableName));
      const key = (input.Key ?? input.Item) as Item | undefined;
      return [{ action, resource: table.arn, context: common(leading([scalar(key?.[table.partitionKey])])) }];
    }
    case 'Query':
    case 'Scan': {
      const table = tableOf(String(input.TableName));
      const index = input.IndexName ? String(input.IndexName) : undefined;
      const resource = index ? `${table.arn}/index/${index}` : table.arn;
      const key = index ? table.indexPartitionKeys[index] : table.partitionKey;
      const fixed = operation === 'Query' && key ? partitionValue(input, key) : undefined;
      return [
        {
          action,
          resource,
          context: common({ ...leading([fixed]), ...(input.Select ? { 'dynamodb:Select': String(input.Select) } : {}) }),
        },
      ];
    }
    case 'BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { Keys: Item[] }>).map(([name, request]) => {
        const table = tableOf(name);
        return { action, resource: table.arn, context: common(leading(request.Keys.map((key) => scalar(key[table.partitionKey])))) };
      });
    case 'BatchWriteItem':
      return Object.entries(
        (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>,
      ).map(([name, writes]) => {
        const table = tableOf(name);
        const keys = writes.map((write) => scalar((write.PutRequest?.Item ?? write.DeleteRequest?.Key)?.[table.partitionKey]));
        return { action, resource: table.arn, context: common(leading(keys)) };
      });
    case 'DescribeTable':
      return [{ action, resource: tableOf(String(input.TableName)).arn, context: {} }];
    case 'ListTables':
      return [{ action, resource: '*', context: {} }];
    default:
      throw new UnknownRequest(`The rehearsal does not know DynamoDB's ${operation}`);
  }
}

/** The bare address of a `Source` (`"Name" <a@b>` or `a@b`). */
const addressOf = (source: string) => (/<([^>]+)>/.exec(source)?.[1] ?? source).trim();

function ses(request: SignedRequest, world: AwsWorld): Authorization[] {
  const operation = operationOf(request);
  if (operation !== 'SendEmail' && operation !== 'SendRawEmail') throw new UnknownRequest(`The rehearsal does not know SES's ${operation}`);
  let from: string;
  let configurationSet: string | undefined;
  let recipients: string[];
  if (request.path.startsWith('/v2/')) {
    const input = JSON.parse(request.body) as {
      FromEmailAddress: string;
      ConfigurationSetName?: string;
      Destination?: { ToAddresses?: string[] };
    };
    from = addressOf(input.FromEmailAddress);
    configurationSet = input.ConfigurationSetName;
    recipients = input.Destination?.ToAddresses ?? [];
  } else {
    const form = new URLSearchParams(request.body);
    from = addressOf(form.get('Source') ?? '');
    configurationSet = form.get('ConfigurationSetName') ?? undefined;
    recipients = [...form.entries()]
      .filter(([key]) => /^Destination\.(To|Cc|Bcc)Addresses\.member\.\d+$/.test(key))
      .map(([, value]) => value);
  }
  const context = { 'ses:FromAddress': from, 'ses:Recipients': recipients, 'ses:ApiVersion': request.path.startsWith('/v2/') ? '2' : '1' };
  const arn = (resource: string) => `arn:aws:ses:${world.region}:${world.account}:${resource}`;
  return [
    { action: 'ses:SendEmail', resource: arn(`identity/${world.sesIdentity(from)}`), context },
    ...(configurationSet ? [{ action: 'ses:SendEmail', resource: arn(`configuration-set/${configurationSet}`), context }] : []),
  ];
}

function secretsManager(request: SignedRequest, world: AwsWorld): Authorization[] {
  const operation = operationOf(request);
  const input = JSON.parse(request.body || '{}') as { SecretId?: string };
  const id = String(input.SecretId ?? '');
  const resource = world.secretArn(id) ?? `arn:aws:secretsmanager:${world.region}:${world.account}:secret:${id}`;
  return [{ action: `secretsmanager:${operation}`, resource, context: { 'secretsmanager:SecretId': resource } }];
}

function cloudFormation(request: SignedRequest, world: AwsWorld): Authorization[] {
  const operation = operationOf(request);
  const name = new URLSearchParams(request.body).get('StackName') ?? '';
  const resource =
    name === world.stackName || name === world.stackId
      ? world.stackId
      : `arn:aws:cloudformation:${world.region}:${world.account}:stack/${name}/*`;
  return [{ action: `cloudformation:${operation}`, resource, context: {} }];
}

/** The authorizations one request needs; STS's GetCallerIdentity needs none (AWS answers it for anyone). */
export function authorizationsFor(request: SignedRequest, world: AwsWorld): Authorization[] {
  switch (request.service) {
    case 'dynamodb':
      return dynamodb(request, world);
    case 'ses':
    case 'email':
      return ses(request, world);
    case 'secretsmanager':
      return secretsManager(request, world);
    case 'cloudformation':
      return cloudFormation(request, world);
    case 'sts':
      if (operationOf(request) === 'GetCallerIdentity') return [];
      throw new UnknownRequest(`The rehearsal does not know STS's ${operationOf(request)}`);
    default:
      throw new UnknownRequest(`The rehearsal does not stand in for ${request.service}`);
  }
}
