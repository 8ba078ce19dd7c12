import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Authorization } from './aws-requests';
import type { PolicyDocument } from './stack-model';

/** One authorization the gateway decided, as AWS would have. */
export interface Check {
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  readonly allowed: boolean;
  readonly reason?: string;
}

/** The key policy AWS gives the account's managed key for Secrets Manager (`aws/secretsmanager`). */
export function managedSecretsKeyPolicy(account: string, region: string): PolicyDocument {
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

/**
 * The managed key, named as the key it is (AWS resolves `alias/aws/secretsmanager` to it): the
 * policy evaluator knows no alias resource for kms:Decrypt, and would refuse every read of a secret on it.
 */
export const MANAGED_KEY = 'key/0a3b5c7d-aws0-4000-8000-5ec7e75a4a6e';

/**
 * Asks the IAM policy evaluator whether `principal` (a session ARN, or a service principal) may
 * make the call under its identity policies and the resource's policy. `caller` names it in the
 * report; `who` in the refusal.
 */
export async function checkAccess(
  account: string,
  caller: string,
  who: string,
  principal: string,
  identityPolicies: readonly { name: string; policy: PolicyDocument }[],
  authorization: Authorization,
  resourcePolicy?: PolicyDocument,
): Promise<Check> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: authorization.action,
        resource: { resource: authorization.resource, accountId: account },
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
  return check;
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
export function defaultTopicPolicy(topicArn: string, account: string): PolicyDocument {
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
