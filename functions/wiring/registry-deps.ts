import { DynamoDomainRegistry } from '../adapters/dynamodb-registry';
import type { LoadRegistryDeps } from '../use-cases/load-registry';
import { config } from './config';
import { dynamodb, tableDeps } from './table-deps';

/** The registry load's ports: the registry's items in the table, and the house log and metrics. */
export const registryDeps: LoadRegistryDeps = {
  ...tableDeps,
  registry: new DynamoDomainRegistry(dynamodb, config.tableName),
};
