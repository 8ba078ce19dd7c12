import { type Stack, Validations } from 'aws-cdk-lib';
import { AccountRootPrincipal, type IRole, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';

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

export interface SigningKeys {
  readonly secret: Secret;
  /** Lets a signing or verifying function's role read the secret and decrypt it (only through Secrets Manager). */
  grantRead(role: IRole): void;
}

/**
 * The approval-token signing keys: a generated secret on its own customer-managed key. Created in
 * the stack's own scope, so the resources keep their logical ids.
 */
export function signingKeysIn(stack: Stack): SigningKeys {
  // The signing keys' own customer-managed key: an administrator can manage it and Secrets
  // Manager can encrypt with it, but only the roles that sign or verify may decrypt (added below),
  // so broad Secrets Manager rights in the account do not reveal the keys.
  const signingKeysKey = new Key(stack, 'SigningKeysKey', {
    description: 'Sandbox Gatekeeper: encrypts the approval-token signing keys',
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
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        }),
      ],
    }),
  });
  // One random seed per key; the functions derive the Ed25519 key pair from it. Rotation: README.
  const signingKeys = new Secret(stack, 'SigningKeys', {
    description: 'Sandbox Gatekeeper: approval-token signing keys',
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ kid: 'k1' }),
      generateStringKey: 'seed',
      passwordLength: 64,
      excludePunctuation: true,
    },
  });
  // Set on the resource, not through `encryptionKey`: that would also let the whole account
  // decrypt through Secrets Manager, which is what the key is here to prevent.
  (signingKeys.node.defaultChild as CfnSecret).kmsKeyId = signingKeysKey.keyArn;
  Validations.of(signingKeys).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotation must keep the old key verifying until every link it signed has expired (APPROVAL_TTL_SECONDS); a single-value rotation Lambda would break outstanding links. The overlap rotation is an operator procedure (README, "Signing keys and their rotation").',
  });
  const viaSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } };
  return {
    secret: signingKeys,
    grantRead(role) {
      signingKeys.grantRead(role);
      signingKeysKey.addToResourcePolicy(
        new PolicyStatement({ principals: [role], actions: ['kms:Decrypt'], resources: ['*'], conditions: viaSecretsManager }),
      );
    },
  };
}
