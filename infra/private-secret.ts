import { type Stack, Validations } from 'aws-cdk-lib';
import { AccountRootPrincipal, type IRole, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, Secret, type SecretStringGenerator } from 'aws-cdk-lib/aws-secretsmanager';

/** What an administrator may do with a key, without reading what it protects (no kms:Decrypt). */
const KEY_ADMINISTRATION = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

export interface PrivateSecret {
  readonly secret: Secret;
  /** The secret's own customer-managed key. */
  readonly key: Key;
  /** Lets a role read the secret and decrypt it (only through Secrets Manager), naming it in the key's policy. */
  grantRead(role: IRole): void;
}

export interface PrivateSecretProps {
  readonly description: string;
  readonly keyDescription: string;
  /** A value CloudFormation generates; without one the secret starts empty and a custom step puts its value. */
  readonly generateSecretString?: SecretStringGenerator;
  /** Why the secret has no rotation Lambda (cdk-nag AwsSolutions-SMG4). */
  readonly withoutRotation: string;
}

/**
 * A secret on its own customer-managed key (`<id>Key`): an administrator can manage the key and
 * Secrets Manager can encrypt with it, but only the roles given `grantRead` may decrypt, so broad
 * Secrets Manager rights in the account do not reveal the value. Created in the stack's own
 * scope, so the resources keep their logical ids.
 */
export function privateSecretIn(stack: Stack, id: string, props: PrivateSecretProps): PrivateSecret {
  const viaSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } };
  const key = new Key(stack, `${id}Key`, {
    description: props.keyDescription,
    enableKeyRotation: true,
    policy: new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'KeyAdministrationWithoutDecrypt',
          principals: [new AccountRootPrincipal()],
          actions: KEY_ADMINISTRATION,
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'SecretsManagerMayEncrypt',
          principals: [new AccountRootPrincipal()],
          actions: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: viaSecretsManager,
        }),
      ],
    }),
  });
  const secret = new Secret(stack, id, {
    description: props.description,
    ...(props.generateSecretString ? { generateSecretString: props.generateSecretString } : {}),
  });
  const resource = secret.node.defaultChild as CfnSecret;
  // Without a generator the L2 secret would generate a password of its own: none, the secret starts empty.
  if (!props.generateSecretString) resource.generateSecretString = undefined;
  // Set on the resource, not through `encryptionKey`: that would also let the whole account
  // decrypt through Secrets Manager, which is what the key is here to prevent.
  resource.kmsKeyId = key.keyArn;
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.withoutRotation });
  return {
    secret,
    key,
    grantRead(role) {
      // GetSecretValue alone: the readers never describe the secret (the deploy rehearsal sees what they call).
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
      key.addToResourcePolicy(
        new PolicyStatement({ principals: [role], actions: ['kms:Decrypt'], resources: ['*'], conditions: viaSecretsManager }),
      );
    },
  };
}
