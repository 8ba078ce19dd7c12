import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../core/errors';
import { describeError } from '../core/redact';

/** What DynamoDB says when it sheds load: worth a retry a little later, like an outage. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
]);

/** No answer at all: the connection failed or timed out. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** No answer in time: a request timeout, or the invocation's deadline aborting the call. */
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

const RETRY_AFTER_SECONDS = 5;

/**
 * Whether a failed call reports an unavailable dependency (no answer at all, a server fault, or
 * throttling after the SDK's own retries) rather than something about the request itself.
 */
export function isDependencyFailure(error: unknown): boolean {
  const failure = error as { name?: string; code?: string; $fault?: string };
  const name = failure?.name ?? '';
  return failure?.$fault === 'server' || THROTTLING.has(name) || TIMEOUTS.has(name) || NETWORK.has(failure?.code ?? '');
}

/** No connection was made: the request never reached the dependency. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a write that failed this way may still have been applied: not when DynamoDB refused it
 * (throttling) or no connection was made; yes when the answer was lost, late or a server fault.
 */
export function mayHaveLanded(failure: ServiceUnavailableError): boolean {
  const cause = failure.cause as { name?: string; code?: string } | undefined;
  return !(THROTTLING.has(cause?.name ?? '') || NEVER_CONNECTED.has(cause?.code ?? ''));
}

/**
 * Makes every call of a client that fails on the dependency's side throw ServiceUnavailableError
 * (503 with Retry-After); other errors (a conditional check, a validation fault) pass unchanged.
 */
export function reportDependencyFailures(client: DynamoDBClient, dependency: string): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isDependencyFailure(error)) throw error;
        const unavailable = new ServiceUnavailableError(
          'The service is briefly unavailable. Nothing was changed: please try again in a few seconds.',
          RETRY_AFTER_SECONDS,
          `${dependency}: ${describeError(error)}`,
        );
        unavailable.cause = error;
        throw unavailable;
      }
    },
    { step: 'initialize', name: 'reportDependencyFailures', priority: 'high' },
  );
}
