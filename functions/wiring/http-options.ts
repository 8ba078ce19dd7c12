import { fromEnv } from '@aws-sdk/credential-provider-env';
import { storedEdgeSecret } from '../adapters/edge-origin-secret';
import { readSecretString, secretsManagerEndpoint } from '../adapters/secret-string';
import type { HttpOptions } from '../http/http-handler';
import { setFooterLinks } from '../views/layout';
import { config } from './config';
import { observedOptions } from './machine-options';

setFooterLinks({ privacyUrl: config.privacyUrl, accessibilityUrl: config.accessibilityUrl });

/**
 * The edge secret is read with one signed call, not the Secrets Manager client: pages and assets
 * have no other client, and carried ~200 kB of SDK for this one read at start. Lambda gives every
 * function its region and its role's credentials in the environment.
 */
function edgeSecret(arn: string): () => Promise<string> {
  const region = process.env.AWS_REGION ?? '';
  const target = { endpoint: config.secretsManagerEndpoint ?? secretsManagerEndpoint(process.env, region), region, credentials: fromEnv() };
  return storedEdgeSecret((secretId) => readSecretString(target, secretId), arn);
}

/** What every HTTP handler for browsers shares: the origins it accepts, the edge it trusts, its log, and per-request observation. */
export const httpOptions: HttpOptions = {
  ...observedOptions,
  ...(config.edgeOriginSecretArn ? { edgeSecret: edgeSecret(config.edgeOriginSecretArn) } : {}),
};
