/**
 * `npm start`: the whole service on loopback. DynamoDB (dynalite, data on disk under DATA_DIR),
 * SES (aws-ses-v2-local, with its mailbox page) and the HTTP server that feeds the same handlers
 * Lambda runs. Ctrl-C or SIGTERM stops everything; the data stays for the next start.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newKeySetJson } from '../../functions/adapters/signing-keys';
import { newWebhookSecret } from '../../functions/core/webhook-secret';
import { loadConfig } from '../../functions/service/config';
import { ENV } from '../../functions/service/environment';
import type { HandlerName } from '../../functions/service/routes';
import {
  dataDirOf,
  holdDataDir,
  OIDC_CLIENT_KEY_FILE,
  publishServiceEnvironment,
  SIGNING_KEYS_FILE,
  WEBHOOK_SECRET_FILE,
} from '../../local/data-dir';
import { ensureTable, external, startDynamoDb, startSes } from '../../local/emulators';
import { functionEnvironment } from '../../local/laptop-environment';
import { handlers } from '../function-specs';
import { LOCAL_MAILBOX_PATH, LOCAL_SANDBOX_PATH } from './local-pages';
import { machineKey } from './machine-auth';
import { newClientKey, type RunningOidcProvider, startOidcProvider } from './oidc-provider';
import { loadLocalRegistry } from './registry-load';
import { loadHandler, startHttpServer } from './server';
import { type Sweeper, startSweeper } from './sweeper';

// Lambda runs Node.js 24; on an older laptop Node the SDK's upgrade notice is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CloudWatch metrics (EMF lines) mean nothing on a laptop; POWERTOOLS_METRICS_DISABLED=false shows them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const LOOPBACK = '127.0.0.1';
const env = process.env;

/** Makes every entry under `dir` (and `dir`) private to this user; returns how many were not. */
function tightenPermissions(dir: string): number {
  let tightened = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if ((stat.mode & 0o077) !== 0) {
      chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
      tightened++;
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return tightened;
}

function port(name: string, fallback: number): number {
  const value = env[name] ?? String(fallback);
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    console.error(`${name} must be a port number (0–65535), got "${value}"`);
    process.exit(2);
  }
  return Number(value);
}

const dataDir = dataDirOf(env);
// DATA_DIR holds addresses, names, client addresses and token hashes: this user's only.
process.umask(0o077);
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const loosened = tightenPermissions(dataDir);
if (loosened > 0) console.warn(`DATA_DIR ${dataDir} was readable by others: ${loosened} entries made private to this user.`);
// Approval-token signing keys: made on first start, kept with the data (rotation: README).
const signingKeysFile = join(dataDir, SIGNING_KEYS_FILE);
if (!existsSync(signingKeysFile)) writeFileSync(signingKeysFile, newKeySetJson(), { mode: 0o600 });

// An endpoint given for a service replaces its emulator: nothing is started for it.
const givenDynamoDb = env[ENV.dynamodbEndpoint];
const givenSes = env[ENV.sesEndpoint];
// The webhook secret: made on first start when a receiver is named and no secret given (kept with the data).
const webhookSecretFile = join(dataDir, WEBHOOK_SECRET_FILE);
if (env[ENV.webhookUrl] && !env[ENV.webhookSecret] && !existsSync(webhookSecretFile)) {
  writeFileSync(webhookSecretFile, `${newWebhookSecret()}\n`, { mode: 0o600 });
}

/** A start that cannot happen (a port in use, DATA_DIR held elsewhere) says why in one line, not a stack. */
async function orStop<T>(starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

const dynamodb = givenDynamoDb
  ? external(givenDynamoDb)
  : await orStop(startDynamoDb({ host: LOOPBACK, port: port('DYNAMODB_PORT', 8000), dataDir }));
const ses = givenSes ? external(givenSes) : await orStop(startSes({ host: LOOPBACK, port: port('SES_PORT', 8005) }));
// The sandbox's machine routes (/v1/…) take SigV4 with this key pair, as they take its role's credentials in AWS.
const sandboxKey = machineKey(dataDir, env);
const http = await orStop(
  startHttpServer({ port: port('PORT', 3000), machineKey: sandboxKey, sesEndpoint: ses.endpoint }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    throw new Error(`PORT ${env.PORT ?? 3000} is already in use by another program: set PORT to another port (PORT=0 takes a free one).`);
  }),
);

// Sponsors sign in with OpenID Connect by default, against a real provider on loopback (a
// development stand-in for Login.gov that signs anyone in as any address), unless
// SIGN_IN_METHOD=code or another provider is named. Its client key is made once, kept with the data.
const LOCAL_CLIENT_ID = 'sandbox-gatekeeper-local';
let oidc: RunningOidcProvider | undefined;
if (env[ENV.signInMethod] !== 'code' && !env[ENV.oidcIssuer]) {
  const keyFile = join(dataDir, OIDC_CLIENT_KEY_FILE);
  if (!existsSync(keyFile)) writeFileSync(keyFile, JSON.stringify((await newClientKey()).privateJwk), { mode: 0o600 });
  const {
    d: _private,
    p: _p,
    q: _q,
    dp: _dp,
    dq: _dq,
    qi: _qi,
    ...publicJwk
  } = JSON.parse(readFileSync(keyFile, 'utf8')) as Record<string, string>;
  const origins = [env[ENV.baseUrl], `http://localhost:${http.port}`, `http://127.0.0.1:${http.port}`].filter(Boolean) as string[];
  oidc = await orStop(
    startOidcProvider({
      host: LOOPBACK,
      port: port('OIDC_PORT', 8010),
      clients: [
        {
          clientId: LOCAL_CLIENT_ID,
          jwks: { keys: [publicJwk] },
          redirectUris: [...new Set(origins.map((origin) => `${origin}/auth/callback`))],
        },
      ],
    }),
  );
  Object.assign(env, { [ENV.oidcIssuer]: oidc.issuer, [ENV.oidcClientId]: LOCAL_CLIENT_ID, [ENV.oidcPrivateKeyFile]: keyFile });
}
// Who holds DATA_DIR (LevelDB allows one process): the admin CLI reads this to point the operator to us.
const holderFile = givenDynamoDb ? undefined : holdDataDir(dataDir, { dynamodbEndpoint: dynamodb.endpoint, port: http.port });

// The handlers read their configuration from the environment, exactly as in Lambda.
Object.assign(env, {
  ...functionEnvironment(dataDir, env, {
    baseUrl: `http://localhost:${http.port}`,
    sandboxUrl: `http://localhost:${http.port}${LOCAL_SANDBOX_PATH}`,
    dynamodbEndpoint: dynamodb.endpoint,
    sesEndpoint: ses.endpoint,
  }),
  AWS_REGION: env.AWS_REGION ?? 'us-east-1',
  // As Lambda sets it: Powertools reports a cold start only for on-demand containers.
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
delete env.AWS_SESSION_TOKEN;
delete env.AWS_PROFILE;
// The operator's tools configure the use cases from these, so their emails and events match this service's.
publishServiceEnvironment(dataDir, env);

let table: 'created' | 'existing';
let sweeper: Sweeper;
let registry: Awaited<ReturnType<typeof loadLocalRegistry>>;
try {
  table = await ensureTable(dynamodb.endpoint, env[ENV.tableName]!);
  registry = await loadLocalRegistry(dynamodb.endpoint, env[ENV.tableName]!, env);
  // Fail fast: a bad setting stops the start, not the first request.
  const { sweepIntervalSeconds } = loadConfig(env);
  await Promise.all(Object.keys(handlers).map((name) => loadHandler(name as HandlerName)));
  // The same function the schedule runs in AWS: reminders and expiries that are due.
  sweeper = await startSweeper(sweepIntervalSeconds);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await Promise.all([http.close(), ses.close(), dynamodb.close(), oidc?.close()]);
  process.exit(1);
}

console.log(`Sandbox Gatekeeper is running on loopback.
  Sign-up page: ${env[ENV.baseUrl]}/
  Mailbox:      ${env[ENV.baseUrl]}${LOCAL_MAILBOX_PATH} (every email sent, its links one click away)
  SES:          ${ses.endpoint}/${givenSes ? ' (SES_ENDPOINT: no emulator started)' : ' (the emulator; its own mailbox page)'}
  Sandbox:      ${env[ENV.sandboxUrl]}
  DynamoDB:     ${dynamodb.endpoint} (table ${env[ENV.tableName]}, ${table}; ${givenDynamoDb ? 'DYNAMODB_ENDPOINT: no emulator started' : `data in ${dataDir}`})
  Sponsors:     ${env[ENV.baseUrl]}/sponsors — sign-in: ${oidc ? `OpenID provider at ${oidc.issuer} (a development stand-in: any address; SIGN_IN_METHOD=code for emailed codes)` : env[ENV.oidcIssuer] ? `OpenID provider at ${env[ENV.oidcIssuer]}` : 'a code emailed to the sponsor'}
  Registry:     .gov registry of ${registry.publishedAt.slice(0, 10)} — ${registry.outcome === 'loaded' ? `loaded: ${registry.domains} domains, ${registry.written} items written in ${registry.ms} ms` : registry.outcome === 'current' ? 'already in the table' : `REFUSED (${registry.problem}); the last good data stays`}
  Sandbox API:  ${env[ENV.baseUrl]}/v1/accounts, /v1/activity — SigV4 (execute-api, ${sandboxKey.region}), key ${sandboxKey.accessKeyId}${sandboxKey.file ? ` (secret in ${sandboxKey.file})` : ' (SANDBOX_ACCESS_KEY_ID)'}
${env[ENV.webhookUrl] ? `  Webhooks:     ${env[ENV.webhookUrl]} (signing secret: ${existsSync(webhookSecretFile) ? webhookSecretFile : 'WEBHOOK_SECRET'})\n` : ''}  Sweep:        every ${loadConfig(env).sweepIntervalSeconds} s (reminders, expiries, retries and webhook events that are due)
Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`Received ${signal}; stopping (data kept in ${dataDir}).`);
  await Promise.all([http.close(), sweeper.stop()]);
  await Promise.all([ses.close(), dynamodb.close(), oidc?.close()]);
  if (holderFile) rmSync(holderFile, { force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
