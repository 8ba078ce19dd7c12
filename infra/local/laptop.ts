/**
 * What the operator's tools may use of the laptop's runtime, and all of it: the functions'
 * environment `npm start` runs them with for a DATA_DIR, who holds that folder, and its database
 * opened when no server runs. `npm start` itself uses the same, so the two cannot disagree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NEW_ADDRESS_BUDGET } from '../../functions/service/config';
import { ENV, LIMIT, LIMIT_VARIABLES } from '../../functions/service/environment';

export { startDynamoDb as openDatabase } from './emulators';

/** The file in DATA_DIR that names the running `npm start` holding it (its pid and DynamoDB endpoint). */
export const SERVER_FILE = 'server.json';
/** The file in DATA_DIR that keeps the functions' environment of the last `npm start`, for the operator's tools. */
const SETTINGS_FILE = 'service.json';
/** Approval-token signing keys, made on first start and kept with the data. */
export const SIGNING_KEYS_FILE = 'signing-keys.json';
/** The local OpenID client's private key (`private_key_jwt`), made on first start. */
export const OIDC_CLIENT_KEY_FILE = 'oidc-client-key.json';
/** The webhook secret, made on first start when a receiver is named and no secret given. */
export const WEBHOOK_SECRET_FILE = 'webhook-secret';

export const dataDirOf = (env: NodeJS.ProcessEnv): string => resolve(env.DATA_DIR || '.data');

/** Where the functions reach the laptop's services. */
export interface LaptopEndpoints {
  readonly baseUrl: string;
  /** Where SANDBOX_URL points when not given: the local server's stand-in page. */
  readonly sandboxUrl?: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
}

/**
 * The functions' environment on the laptop: what `env` gives, else npm start's defaults for
 * DATA_DIR (its key file and webhook secret file), with the services at `endpoints`.
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

/** Every name the functions read: the settings file keeps these and nothing else. */
const NAMES: readonly string[] = [...Object.values(ENV), ...LIMIT_VARIABLES];

/**
 * Keeps what the functions run with, so `npm run admin` from another shell configures the use
 * cases as this server does (the same links, sender, events, periods and retries). DATA_DIR is
 * this user's only, like the secret files beside it.
 */
export function writeServiceSettings(dataDir: string, env: NodeJS.ProcessEnv): void {
  const kept = Object.fromEntries(NAMES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  writeFileSync(join(dataDir, SETTINGS_FILE), `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
}

/** The settings the last `npm start` on `dataDir` wrote, or none. */
export function readServiceSettings(dataDir: string): Record<string, string> {
  const file = join(dataDir, SETTINGS_FILE);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(NAMES.flatMap((name) => (typeof parsed[name] === 'string' ? [[name, parsed[name] as string]] : [])));
  } catch {
    return {};
  }
}

/** The running `npm start` that holds DATA_DIR, if one does (a dead pid does not count). */
export function holderOf(dataDir: string): { pid: number; dynamodbEndpoint: string } | undefined {
  const file = join(dataDir, SERVER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; dynamodbEndpoint: string };
    process.kill(holder.pid, 0);
    return holder;
  } catch {
    return undefined;
  }
}

/** Marks DATA_DIR as held by this process. */
export function holdDataDir(dataDir: string, holder: { dynamodbEndpoint: string; port: number }): string {
  const file = join(dataDir, SERVER_FILE);
  writeFileSync(file, JSON.stringify({ pid: process.pid, ...holder }), { mode: 0o600 });
  return file;
}
