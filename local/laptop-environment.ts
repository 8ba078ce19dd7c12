/**
 * The functions' environment on the laptop: what `npm start` runs them with for a DATA_DIR, and
 * what the operator's CLI assumes of a DATA_DIR no `npm start` has published its environment in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEW_ADDRESS_BUDGET } from '../functions/service/config';
import { ENV, LIMIT } from '../functions/service/environment';
import { SIGNING_KEYS_FILE, WEBHOOK_SECRET_FILE } from './data-dir';

/** Where the functions reach the laptop's services. */
export interface LaptopEndpoints {
  readonly baseUrl: string;
  /** Where SANDBOX_URL points when not given: the local server's stand-in page. */
  readonly sandboxUrl?: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
}

/**
 * What `env` gives, else npm start's defaults for DATA_DIR (its key file and webhook secret
 * file), with the services at `endpoints`.
 */
export function functionEnvironment(dataDir: string, env: NodeJS.ProcessEnv, endpoints: LaptopEndpoints): Record<string, string> {
  const secretFile = join(dataDir, WEBHOOK_SECRET_FILE);
  const storedSecret = env[ENV.webhookUrl] && !env[ENV.webhookSecret] && existsSync(secretFile);
  return {
    [ENV.tableName]: env[ENV.tableName] || 'sandbox-gatekeeper',
    [ENV.mailFrom]: env[ENV.mailFrom] || 'no-reply@sandbox.localhost',
    [ENV.supportEmail]: env[ENV.supportEmail] || 'sandbox-support@sandbox.localhost',
    [ENV.baseUrl]: env[ENV.baseUrl] || endpoints.baseUrl,
    ...(env[ENV.sandboxUrl] || endpoints.sandboxUrl ? { [ENV.sandboxUrl]: env[ENV.sandboxUrl] || endpoints.sandboxUrl! } : {}),
    [ENV.dynamodbEndpoint]: endpoints.dynamodbEndpoint,
    [ENV.sesEndpoint]: endpoints.sesEndpoint,
    [ENV.signingKeysFile]: env[ENV.signingKeysFile] || join(dataDir, SIGNING_KEYS_FILE),
    // Every request to npm start comes from loopback, one client: its share is the domain's whole budget unless set.
    [LIMIT.budgetSharePerClient]:
      env[LIMIT.budgetSharePerClient] || env[LIMIT.newAddressEmailsPerDomainPerHour] || String(NEW_ADDRESS_BUDGET),
    ...(storedSecret ? { [ENV.webhookSecret]: readFileSync(secretFile, 'utf8').trim() } : {}),
  };
}
