import { DynamoSponsorDirectory } from '../adapters/dynamodb-sponsors';
import { JoseSessionTokens } from '../adapters/jose-session-tokens';
import { StandingSessions } from '../use-cases/sponsor-sessions';
import { signingKeys } from './approval-tokens';
import { config } from './config';
import { dynamodb } from './table-deps';

/** Sponsor sessions, signed with the service's own keys (the approval tokens' key set), ended by signing out. */
export const sessions = new StandingSessions(
  new JoseSessionTokens(signingKeys, config.sessionTtlSeconds),
  new DynamoSponsorDirectory(dynamodb, config.tableName),
);
