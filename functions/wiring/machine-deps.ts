import { DynamoAccountPages } from '../adapters/dynamodb-roster';
import { config } from './config';
import { lifecycle } from './lifecycle-policy';
import { dynamodb, tableDeps } from './table-deps';

/** The sandbox's routes: the accounts, a page at a time, the lifecycle (activity restarts the dormancy clock), the house log and clock. */
export const machineDeps = {
  ...tableDeps,
  lifecycle,
  pages: new DynamoAccountPages(dynamodb, config.tableName),
};
