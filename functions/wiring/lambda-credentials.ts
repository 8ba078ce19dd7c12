import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credentials of the Lambda bundles only: the house construct (infra/constructs/
 * gatekeeper-function.ts) aliases `@aws-sdk/credential-provider-node` to this module when it
 * bundles, so every client's default provider reads the environment and nothing else.
 *
 * Why: Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first link of the SDK's default chain. The rest
 * of the chain (SSO, STS web identity, shared ini files, credential processes, container and
 * instance metadata, and the nested STS/SSO clients they bring) can never be reached there, yet
 * made up about a fifth of each bundle and of its cold import. Without those variables the first
 * AWS call fails at once with "Unable to find environment variable credentials", never silently.
 *
 * The local server (tsx, unbundled) and the admin CLI do not bundle, so they keep the full chain
 * (profiles, SSO) that a laptop needs.
 */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
