import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../service/config';

/**
 * For the webhook secret's custom step, which puts a value (functions read theirs with one signed
 * call: wiring/secret-reader.ts), run once per deploy, so the SDK's default retries are enough.
 */
export function secretsManagerClient(config: Pick<Config, 'secretsManagerEndpoint'>): SecretsManagerClient {
  return new SecretsManagerClient({ ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}) });
}
