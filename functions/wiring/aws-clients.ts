import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reportDependencyFailures } from '../adapters/dependency-failures';
import type { Config } from '../service/config';

/**
 * How the AWS clients are configured, in one place. Callers create each client once per module
 * (per cold start), and only the clients they use: the SDK packages are side-effect free, so a
 * bundle carries no client that its function never creates. Endpoints come from config, so the
 * local emulators plug in.
 */
export function dynamoDocumentClient(config: Pick<Config, 'dynamodbEndpoint'>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}), maxAttempts: 3 });
  // An outage answers 503 with Retry-After, never a 500 (DESIGN §2).
  reportDependencyFailures(client, 'DynamoDB');
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Standard retry mode: throttling (`Throttling`, `ThrottlingException`) is retried with exponential backoff and jitter. */
export function sesClient(config: Pick<Config, 'sesEndpoint'>): SESClient {
  return new SESClient({ ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}), retryMode: 'standard', maxAttempts: 5 });
}

/** Read once per cold start (the signing keys), so the SDK's default retries are enough. */
export function secretsManagerClient(config: Pick<Config, 'secretsManagerEndpoint'>): SecretsManagerClient {
  return new SecretsManagerClient({ ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}) });
}
