import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDomainRegistry } from '../../functions/adapters/dynamodb-registry';
import { loadRegistry, type RegistryLoad } from '../../functions/use-cases/load-registry';
import { registryFile } from './registry-file';

/**
 * `npm start` loads the .gov registry snapshot into the table when it is newer than what the
 * table holds (first start: all of it; later: nothing, or what a newer snapshot changed).
 */
export async function loadLocalRegistry(
  endpoint: string,
  tableName: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryLoad & { file: string; publishedAt: string }> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  try {
    const file = registryFile(env);
    const quiet = () => undefined;
    const load = await loadRegistry(file, {
      registry: new DynamoDomainRegistry(client, tableName),
      clock: { nowMs: () => Date.now() },
      log: { info: quiet, warn: (message) => console.warn(message), error: (message) => console.error(message) },
      metrics: { count: quiet },
    });
    return { ...load, file: file.path, publishedAt: file.publishedAt };
  } finally {
    client.destroy();
  }
}
