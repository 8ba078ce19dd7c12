import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { retriesThatCannotDuplicate } from '../adapters/aws-retries';
import { reportDependencyFailures } from '../adapters/dependency-failures';
import { countDynamoWork } from '../adapters/dynamodb-work';
import type { Config } from '../service/config';
import { timeLeftMs } from '../service/deadline';

/**
 * How the AWS clients are configured, in one place. Callers create each client once per module
 * (per cold start), and only the clients they use: the SDK packages are side-effect free, so a
 * bundle carries no client that its function never creates. Endpoints come from config, so the
 * local emulators plug in.
 */
/**
 * Timeouts (docs/design.md §7 "Bounded time"): a connection within 1 s, an answer within 2 s (DynamoDB
 * answers in milliseconds; anything slower is a fault), 3 attempts — and every call also stops at
 * the invocation's deadline (service/deadline.ts), so retries cannot outlive the function.
 */
const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true };
/** SES takes longer to accept a message; its sends are retried only where no duplicate can result. */
const SES_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 4000, throwOnRequestTimeout: true };

/**
 * For calls made outside a function (the operator's CLI reading the stack and asking who it is):
 * bounded like SES's, so a service that never answers is an error in seconds, not a hang.
 */
export function controlPlaneHandler(): NodeHttpHandler {
  return new NodeHttpHandler(SES_TIMEOUTS);
}

/** The options an AWS call is sent with under the current invocation's deadline. */
function deadlineOptions(): { abortSignal?: AbortSignal } {
  const left = timeLeftMs();
  return left === undefined ? {} : { abortSignal: AbortSignal.timeout(Math.max(1, left)) };
}

/** Every call the client sends carries the current invocation's deadline. */
function underDeadline<C extends { send: (...args: never[]) => Promise<unknown> }>(client: C): C {
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  client.send = ((command: unknown, options?: object) => send(command, { ...deadlineOptions(), ...options })) as unknown as C['send'];
  return client;
}

export function dynamoDocumentClient(config: Pick<Config, 'dynamodbEndpoint'>): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler(DYNAMODB_TIMEOUTS),
  });
  // An outage answers 503 with Retry-After, never a 500 (docs/design.md §2).
  reportDependencyFailures(client, 'DynamoDB');
  countDynamoWork(client);
  return underDeadline(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }));
}

/** Throttling and refused connections are retried (3 attempts, backoff with jitter); nothing that SES may have taken. */
export function sesClient(config: Pick<Config, 'sesEndpoint'>): SESClient {
  return underDeadline(
    new SESClient({
      ...(config.sesEndpoint ? { endpoint: config.sesEndpoint } : {}),
      retryStrategy: retriesThatCannotDuplicate(3),
      requestHandler: new NodeHttpHandler(SES_TIMEOUTS),
    }),
  );
}

/** Read once per cold start (the signing keys), so the SDK's default retries are enough. */
export function secretsManagerClient(config: Pick<Config, 'secretsManagerEndpoint'>): SecretsManagerClient {
  return new SecretsManagerClient({ ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}) });
}
