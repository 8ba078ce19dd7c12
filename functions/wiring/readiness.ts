import { DynamoReputationBreaker } from '../adapters/dynamodb-breaker';
import { ServiceUnavailableError } from '../core/errors';
import { config } from './config';
import { dynamoDocumentClient } from './dynamodb-client';

/** How long a readiness check waits for DynamoDB: an operator's probe, answered quickly either way. */
const READY_WITHIN_MS = 1000;

let probe: DynamoReputationBreaker | undefined;

/**
 * `GET /healthz?deep=1`: one consistent read of a small item, within 1 s, else 503. The client is
 * made on the first deep check, so the liveness answer costs nothing.
 */
export async function databaseReady(): Promise<void> {
  probe ??= new DynamoReputationBreaker(dynamoDocumentClient(config), config.tableName);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new ServiceUnavailableError('The database did not answer in time.', 5, `DynamoDB: no answer within ${READY_WITHIN_MS} ms`)),
      READY_WITHIN_MS,
    );
  });
  try {
    await Promise.race([probe.isOpen(), late]);
  } finally {
    clearTimeout(timer);
  }
}
