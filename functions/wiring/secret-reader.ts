import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { type ReadSecret, readSecretString } from '../adapters/secret-string';
import { config } from './config';

/**
 * How functions read their secrets (the edge secret, the signing keys, the webhook secret, the
 * OpenID client key): one signed GetSecretValue each, not the Secrets Manager client, which
 * carried ~15 kB of SDK into every function that reads a secret and ~200 kB into pages and assets,
 * whose only AWS call this is. The SDK's default credentials: in a bundle the environment's alone
 * (wiring/lambda-credentials.ts); unbundled (the operator's CLI) the whole chain, profiles and SSO.
 */
const target = {
  ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}),
  env: process.env,
  credentials: defaultProvider(),
};

export const readSecret: ReadSecret = (secretId) => readSecretString(target, secretId);
