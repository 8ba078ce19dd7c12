import { JoseSessionTokens } from '../adapters/jose-session-tokens';
import { signingKeys } from './approval-tokens';
import { config } from './config';

/** Sponsor sessions, signed with the service's own keys (the approval tokens' key set). */
export const sessions = new JoseSessionTokens(signingKeys, config.sessionTtlSeconds);
