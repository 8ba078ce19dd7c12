import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { reportDependencyFailures } from '../adapters/dependency-failures';
import { countDynamoWork } from '../adapters/dynamodb-work';
import type { Config } from '../service/config';
import { DYNAMODB_TIMEOUTS, underDeadline } from './client-options';

/** Created once per module (per cold start); the endpoint comes from config, so the local emulator plugs in. */
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
