import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../service/config';

/** Read once per cold start (the signing keys), so the SDK's default retries are enough. */
export function secretsManagerClient(config: Pick<Config, 'secretsManagerEndpoint'>): SecretsManagerClient {
  return new SecretsManagerClient({ ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}) });
}
