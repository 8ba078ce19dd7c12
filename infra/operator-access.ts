import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, type IRole, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { itemFamilies } from '../functions/service/table';
import { eventHandlers } from './function-specs';
import type { PrivateSecret } from './private-secret';
import type { SigningKeys } from './signing-keys';

export interface OperatorAccessProps {
  readonly table: ITable;
  readonly mail: { readonly identityArn: string; readonly configurationSetArn: string; readonly from: string };
  readonly signingKeys: SigningKeys;
  readonly webhookSecret?: PrivateSecret;
  /** Context `operatorRole=true`: a role that may also read the secrets that `sweep` and `resend` sign with. */
  readonly role: boolean;
}

/**
 * What `npm run admin --stack` needs, and nothing else. The managed policy (read the stack, act on
 * the table, send mail as the service) is for any operator; the secrets' keys let only roles named
 * in their own policies decrypt, so `sweep` and `resend` — which sign approval links and webhook
 * events — need the optional operator role, which the keys name.
 */
export function operatorAccessIn(stack: Stack, props: OperatorAccessProps): { policy: ManagedPolicy; role?: IRole } {
  const policy = new ManagedPolicy(stack, 'OperatorPolicy', {
    description: 'Sandbox Gatekeeper operator CLI (npm run admin --stack): read the stack, act on the table, send mail',
    statements: [
      new PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
      // What the commands do: read and replace items, remove a suppression or the breaker, list and
      // export (Scan), and the sweep's queries of what is due (it runs the sweep's use case).
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'],
        resources: [props.table.tableArn],
      }),
      // Counters only where the sweep sends an email a spent budget held: its budgets charged first.
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${itemFamilies.limit}*`] } },
      }),
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: eventHandlers.sweep.table.indexes.map((index) => `${props.table.tableArn}/index/${index}`),
      }),
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [props.mail.identityArn, props.mail.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': props.mail.from } },
      }),
    ],
  });
  new CfnOutput(stack, 'OperatorPolicyArn', {
    value: policy.managedPolicyArn,
    description: 'Attach to the operators who run npm run admin --stack',
  });
  if (!props.role) return { policy };

  // Trusting the account means: only principals whose own IAM policy allows sts:AssumeRole on it.
  const role = new Role(stack, 'OperatorRole', {
    description: 'Sandbox Gatekeeper operator (npm run admin --stack), including sweep and resend',
    assumedBy: new AccountRootPrincipal(),
    managedPolicies: [policy],
  });
  props.signingKeys.grantRead(role);
  props.webhookSecret?.grantRead(role);
  new CfnOutput(stack, 'OperatorRoleArn', {
    value: role.roleArn,
    description: 'Assume this role (a profile with role_arn) for npm run admin --stack sweep and resend',
  });
  return { policy, role };
}
