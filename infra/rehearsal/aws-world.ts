import type { AwsWorld } from './aws-requests';
import type { Deployment } from './cloud-assembly';
import { indexKeys } from './emulated-table';
import { generatedSecret } from './generated-secret';
import type { OwnServices } from './iam-gateway';
import type { StackModel } from './stack-model';

/**
 * The account the stack is rehearsed in, as the gateway resolves names in it: the table, the
 * secrets, and the SES identity (verified: `sesIdentity`, else the domain of the stack's sender).
 */
export function awsWorld(deployment: Deployment, model: StackModel, sesIdentity?: string): AwsWorld {
  const identity = sesIdentity ?? model.outputs.MailFrom?.split('@')[1] ?? 'sandbox.invalid';
  return {
    account: deployment.account,
    region: deployment.region,
    stackId: deployment.stackId,
    stackName: deployment.assembly.stackName,
    tables: new Map([
      [model.table.name, { arn: model.table.arn, partitionKey: model.table.partitionKey, indexPartitionKeys: indexKeys(model) }],
    ]),
    secretArn: (id) => model.secrets.find((secret) => secret.arn === id || secret.arn.split(':').at(-1)?.startsWith(`${id}-`))?.arn,
    sesIdentity: () => identity,
  };
}

/** Each secret of the stack with the value CloudFormation would generate for it, its key and its policy. */
export function deployedSecrets(model: StackModel): OwnServices['secrets'] {
  return new Map(
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
}
