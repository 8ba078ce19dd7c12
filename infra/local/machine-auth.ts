import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { signatureHolds } from '../sigv4-check';

/** The key pair the sandbox signs its requests with on the laptop (in AWS: its role's credentials). */
export interface MachineKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** Where it is kept, when `npm start` made it. */
  readonly file?: string;
}

export const SANDBOX_KEY_FILE = 'sandbox-key.json';

/** A signature older (or newer) than this is refused, as AWS does. */
const MAX_SKEW_MS = 5 * 60_000;

/** SANDBOX_ACCESS_KEY_ID / SANDBOX_SECRET_ACCESS_KEY, else the pair kept under DATA_DIR (made on first start, this user's only). */
export function machineKey(dataDir: string, env: NodeJS.ProcessEnv): MachineKey {
  const region = env.AWS_REGION ?? 'us-east-1';
  if (env.SANDBOX_ACCESS_KEY_ID && env.SANDBOX_SECRET_ACCESS_KEY)
    return { accessKeyId: env.SANDBOX_ACCESS_KEY_ID, secretAccessKey: env.SANDBOX_SECRET_ACCESS_KEY, region };
  const file = join(dataDir, SANDBOX_KEY_FILE);
  if (!existsSync(file)) {
    const made = {
      accessKeyId: `AKIALOCAL${randomBytes(8).toString('hex').toUpperCase().slice(0, 11)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
    };
    writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  }
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  return { ...kept, region, file };
}

export type MachineCheck =
  | { readonly ok: true; readonly caller: { readonly accessKey: string; readonly userArn: string } }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/**
 * What API Gateway's IAM authorization decides, on the laptop: the request must be signed with
 * SigV4 for `execute-api` in the configured region, with the sandbox's key, within 5 minutes of
 * now, over exactly what arrived. No signature: 401; any other failure: 403.
 */
export async function checkMachineRequest(req: IncomingMessage, body: Buffer, key: MachineKey, nowMs: number): Promise<MachineCheck> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const authorization = headers.authorization;
  if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) return { ok: false, status: 401, message: 'Unauthorized' };
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  const signedAt = Date.parse(
    (headers['x-amz-date'] ?? '').replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const forbidden = { ok: false, status: 403, message: 'Forbidden' } as const;
  if (!scope || scope[1] !== key.accessKeyId || scope[2] !== key.region || scope[3] !== 'execute-api') return forbidden;
  if (Number.isNaN(signedAt) || Math.abs(nowMs - signedAt) > MAX_SKEW_MS) return forbidden;
  const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: body.toString('utf8') };
  if (!(await signatureHolds(request, key, key.region))) return forbidden;
  return { ok: true, caller: { accessKey: key.accessKeyId, userArn: 'arn:aws:iam::000000000000:user/sandbox' } };
}
