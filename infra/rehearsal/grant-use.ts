import { type ItemFamily, itemFamilies } from '../../functions/service/table';
import type { Check } from './iam-gateway';
import type { PolicyDocument, StackModel } from './stack-model';
import { wildcardMatch } from './wildcard';

/** One thing a role may do: an action on a resource, narrowed to one item family where the grant says so. */
export interface Grant {
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly leadingKey?: string;
  /** Where it is written: a policy and statement, or a key's policy. */
  readonly source: string;
}

export interface GrantUse {
  readonly used: readonly Grant[];
  readonly unused: readonly Grant[];
  /** Distinct (caller, action, resource family) the journeys made, each checked against the policies. */
  readonly distinctCalls: readonly string[];
}

const list = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as T];

/**
 * What Lambda itself does with a function's role, never the function's code: write its logs, and
 * put an event it failed on in the function's dead-letter queue.
 */
const RUNTIME_ACTIONS = ['logs:*', 'sqs:SendMessage'];

function grantsOf(caller: string, policyName: string, document: PolicyDocument, onlyFor?: string): Grant[] {
  return document.Statement.flatMap((statement, index) => {
    if (statement.Effect !== 'Allow') return [];
    if (onlyFor !== undefined && !list((statement.Principal as { AWS?: string | string[] } | undefined)?.AWS).includes(onlyFor)) return [];
    const condition = statement.Condition as Record<string, Record<string, string | string[]>> | undefined;
    const leadingKeys = condition ? Object.values(condition).flatMap((keys) => list(keys['dynamodb:LeadingKeys'])) : [];
    return list(statement.Action as string | string[])
      .filter((action) => !RUNTIME_ACTIONS.some((runtime) => wildcardMatch(runtime, action)))
      .flatMap((action) =>
        list(statement.Resource as string | string[]).flatMap((resource) =>
          (leadingKeys.length ? leadingKeys : [undefined]).map((leadingKey) => ({
            caller,
            action,
            resource,
            ...(leadingKey ? { leadingKey } : {}),
            source: `${policyName}#${index + 1}`,
          })),
        ),
      );
  });
}

/** Every grant of the functions' roles, of the operator's, and of the key policies that name them. */
export function grantsIn(model: StackModel): Grant[] {
  const callers = new Map<string, string>(model.functions.map((fn) => [fn.roleArn, fn.name]));
  if (model.outputs.OperatorRoleArn) callers.set(model.outputs.OperatorRoleArn, 'operator');
  const grants: Grant[] = [];
  for (const [roleArn, caller] of callers) {
    for (const { name, policy } of model.roles.get(roleArn)?.policies ?? []) grants.push(...grantsOf(caller, name, policy));
    for (const [keyArn, keyPolicy] of model.keyPolicies) {
      grants.push(
        ...grantsOf(caller, `key policy of ${keyArn.split('/').at(-1)}`, keyPolicy, roleArn).map((grant) => ({
          ...grant,
          resource: keyArn,
        })),
      );
    }
  }
  return grants;
}

function covers(grant: Grant, check: Check): boolean {
  if (grant.caller !== check.caller || !wildcardMatch(grant.action, check.action, true)) return false;
  if (grant.resource !== '*' && !wildcardMatch(grant.resource, check.resource)) return false;
  if (!grant.leadingKey) return true;
  const keys = list(check.context['dynamodb:LeadingKeys']);
  return keys.some((key) => wildcardMatch(grant.leadingKey!, key));
}

/** The family a DynamoDB call touched (`account`, `byDue`, …), or the resource's short name. */
export function familyOf(check: Check): string {
  const keys = list(check.context['dynamodb:LeadingKeys']);
  const index = /\/index\/(.+)$/.exec(check.resource)?.[1];
  if (index) return `index ${index}`;
  if (keys.length) {
    const families = new Set(
      keys.map((key) => (Object.entries(itemFamilies) as [ItemFamily, string][]).find(([, prefix]) => key.startsWith(prefix))?.[0] ?? key),
    );
    return [...families].sort().join('+');
  }
  return check.resource.split(/[:/]/).at(-1)!;
}

/** Which grants the journeys used, and which none did: least privilege seen from both sides. */
export function grantUse(model: StackModel, checks: readonly Check[]): GrantUse {
  const allowed = checks.filter((check) => check.allowed);
  const grants = grantsIn(model);
  const used = grants.filter((grant) => allowed.some((check) => covers(grant, check)));
  return {
    used,
    unused: grants.filter((grant) => !used.includes(grant)),
    distinctCalls: [...new Set(checks.map((check) => `${check.caller} ${check.action} ${familyOf(check)}`))].sort(),
  };
}
