/**
 * DATA_DIR, the folder `npm start` keeps the laptop's service in, as every local tool reads it:
 * where it is, its files' names, who holds it (server.json), and the functions' environment the
 * holder runs them with (service.json). `npm start` writes these files; the operator's CLI only
 * reads them, so the two agree without either importing the other.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENV, LIMIT_VARIABLES } from '../functions/service/environment';

/** The file in DATA_DIR that names the running `npm start` holding it (its pid and DynamoDB endpoint). */
export const SERVER_FILE = 'server.json';
/** The file in DATA_DIR that keeps the functions' environment of the last `npm start`, for the operator's tools. */
export const SERVICE_FILE = 'service.json';
/** Approval-token signing keys, made on first start and kept with the data. */
export const SIGNING_KEYS_FILE = 'signing-keys.json';
/** The local OpenID client's private key (`private_key_jwt`), made on first start. */
export const OIDC_CLIENT_KEY_FILE = 'oidc-client-key.json';
/** The webhook secret, made on first start when a receiver is named and no secret given. */
export const WEBHOOK_SECRET_FILE = 'webhook-secret';
/** The folder of the local DynamoDB's data (LevelDB, one process at a time). */
export const DATABASE_FOLDER = 'dynamodb';

export const dataDirOf = (env: NodeJS.ProcessEnv): string => resolve(env.DATA_DIR || '.data');

/** Every name the functions read: the service file keeps these and nothing else. */
const NAMES: readonly string[] = [...Object.values(ENV), ...LIMIT_VARIABLES];

/**
 * Publishes the environment the functions run with (every variable they read that is set), so
 * `npm run admin` from another shell configures the use cases as this server does (the same
 * links, sender, events, periods and retries). DATA_DIR is this user's only, like the secret
 * files beside it.
 */
export function publishServiceEnvironment(dataDir: string, env: NodeJS.ProcessEnv): void {
  const kept = Object.fromEntries(NAMES.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  writeFileSync(join(dataDir, SERVICE_FILE), `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
}

/** The functions' environment the last `npm start` on `dataDir` published, or none. */
export function publishedServiceEnvironment(dataDir: string): Record<string, string> | undefined {
  const file = join(dataDir, SERVICE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(NAMES.flatMap((name) => (typeof parsed[name] === 'string' ? [[name, parsed[name] as string]] : [])));
  } catch {
    return undefined;
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
