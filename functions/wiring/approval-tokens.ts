import { JoseApprovalTokens } from '../adapters/jose-approval-tokens';
import { fileKeys, type KeyLoader, secretKeys } from '../adapters/signing-keys';
import { ConfigError } from '../service/config';
import { ENV } from '../service/environment';
import { config } from './config';
import { readSecret } from './secret-reader';

/**
 * Approval tokens for the handlers that sign or verify them (and only those, so no other
 * function reads the keys). Keys are read once per cold start, on first use.
 */
function keyLoader(): KeyLoader {
  if (config.signingKeysSecretArn) {
    return secretKeys(readSecret, config.signingKeysSecretArn);
  }
  if (config.signingKeysFile) return fileKeys(config.signingKeysFile);
  throw new ConfigError(ENV.signingKeysSecretArn, 'SIGNING_KEYS_SECRET_ARN or SIGNING_KEYS_FILE is required but neither is set');
}

/** One loader per cold start: approval tokens and sponsor sessions share the keys, read once. */
export const signingKeys = keyLoader();

export const approvals = new JoseApprovalTokens(signingKeys, config.approvalTtlSeconds);
