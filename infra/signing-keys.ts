import type { Stack } from 'aws-cdk-lib';
import { type PrivateSecret, privateSecretIn } from './private-secret';

/** The signing keys' secret; `grantRead` for the roles that sign or verify. */
export type SigningKeys = PrivateSecret;

/**
 * The approval-token signing keys: a generated secret on its own customer-managed key
 * (`SigningKeysKey`, secret `SigningKeys`), which only the roles that sign or verify may decrypt.
 */
export function signingKeysIn(stack: Stack): SigningKeys {
  // One random seed per key; the functions derive the Ed25519 key pair from it. Rotation: README.
  return privateSecretIn(stack, 'SigningKeys', {
    description: 'Sandbox Gatekeeper: approval-token signing keys',
    keyDescription: 'Sandbox Gatekeeper: encrypts the approval-token signing keys',
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ kid: 'k1' }),
      generateStringKey: 'seed',
      passwordLength: 64,
      excludePunctuation: true,
    },
    withoutRotation:
      'Rotation must keep the old key verifying until every link it signed has expired (APPROVAL_TTL_SECONDS); a single-value rotation Lambda would break outstanding links. The overlap rotation is an operator procedure (README, "Signing keys and their rotation").',
  });
}
