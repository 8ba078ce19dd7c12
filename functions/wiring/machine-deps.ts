import { DynamoAccountPages } from '../adapters/dynamodb-roster';
import { config } from './config';
import { dynamodb, tableDeps } from './table-deps';

/** The sandbox's routes: the accounts, a page at a time, and the house log and clock. */
export const machineDeps = {
  ...tableDeps,
  pages: new DynamoAccountPages(dynamodb, config.tableName),
};
