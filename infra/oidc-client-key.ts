import type { Stack } from 'aws-cdk-lib';
import { type PrivateSecret, privateSecretIn } from './private-secret';

/**
 * The OpenID client's private key (`OidcClientKey`, a JWK with `kid` and `alg`) on its own key,
 * which only the sign-in function's role may decrypt. It starts empty: the operator makes the key
 * pair, registers the public half (a certificate) with the provider, and puts the private JWK here
 * (README, "Sponsor sign-in"); until then a sign-in answers 503 and says so in the log.
 */
export function oidcClientKeyIn(stack: Stack): PrivateSecret & { readonly secretArn: string } {
  const secret = privateSecretIn(stack, 'OidcClientKey', {
    description: 'Sandbox Gatekeeper: the OpenID client’s private key (a JWK), which signs its private_key_jwt assertions',
    keyDescription: 'Sandbox Gatekeeper: encrypts the OpenID client’s private key',
    withoutRotation:
      'The provider holds the matching public certificate: rotating is registering a new certificate with it first (README, "Sponsor sign-in"), not a single-sided rotation Lambda.',
  });
  return { ...secret, secretArn: secret.secret.secretArn };
}
