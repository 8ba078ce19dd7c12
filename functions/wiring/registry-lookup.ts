import { DynamoDomainRegistry } from '../adapters/dynamodb-registry';
import { config } from './config';
import { dynamodb } from './table-deps';

/** What sign-up and a contractor's request ask of the .gov registry (only their bundles carry it). */
export const registryLookup = {
  registry: new DynamoDomainRegistry(dynamodb, config.tableName),
  govDomainTypes: config.govDomainTypes,
  sponsorGovDomainTypes: config.sponsorGovDomainTypes,
};
