import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../functions/service/environment';

/** The file in DATA_DIR that keeps what the last `npm start` was configured with, for the operator's tools. */
export const SETTINGS_FILE = 'service.json';

/**
 * What shapes the emails and events an operator's change causes: the links' base, the sender,
 * the support address, the sandbox's URL, the SES endpoint, and whether (and where) the sandbox
 * hears events. Without them, `npm run admin -- revoke` run from another shell would record no
 * `access.revoked` for the sandbox, and its emails would carry other links.
 */
const KEPT = [ENV.baseUrl, ENV.mailFrom, ENV.supportEmail, ENV.sandboxUrl, ENV.sesEndpoint, ENV.webhookUrl] as const;

export function writeServiceSettings(dataDir: string, env: NodeJS.ProcessEnv): void {
  const kept = Object.fromEntries(KEPT.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  writeFileSync(join(dataDir, SETTINGS_FILE), `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
}

/** The settings the last `npm start` on `dataDir` wrote, or none. */
export function readServiceSettings(dataDir: string): Record<string, string> {
  const file = join(dataDir, SETTINGS_FILE);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(KEPT.flatMap((name) => (typeof parsed[name] === 'string' ? [[name, parsed[name] as string]] : [])));
  } catch {
    return {};
  }
}
