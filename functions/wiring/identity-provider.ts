import { JoseSignInTransactions } from '../adapters/jose-session-tokens';
import { fileClientKey, secretClientKey } from '../adapters/oidc-client-key';
import { OpenIdIdentityProvider } from '../adapters/openid-identity-provider';
import type { IdentityProvider } from '../core/identity-provider';
import { signingKeys } from './approval-tokens';
import { config } from './config';
import { readSecret } from './secret-reader';

/** The OpenID provider sponsors sign in with, when one is configured; otherwise they get an emailed code. */
export const identityProvider: IdentityProvider | undefined =
  config.signIn.method === 'oidc'
    ? new OpenIdIdentityProvider({
        issuer: config.signIn.issuer,
        clientId: config.signIn.clientId,
        privateKey: config.signIn.privateKeySecretArn
          ? secretClientKey(readSecret, config.signIn.privateKeySecretArn)
          : fileClientKey(config.signIn.privateKeyFile!),
      })
    : undefined;

export const signInTransactions = new JoseSignInTransactions(signingKeys);
