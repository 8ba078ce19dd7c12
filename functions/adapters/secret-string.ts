import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import { isDependencyFailure } from './dependency-failures';

/** Reads one secret's string value (none: the secret has no string value). */
export type ReadSecret = (secretId: string) => Promise<string | undefined>;

/** Where and as whom: what the SDK's client would resolve from its environment. */
export interface SecretReadTarget {
  /** The configured endpoint; none: where the SDK would go (secretsManagerEndpoint). */
  readonly endpoint?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly credentials: Provider<AwsCredentialIdentity>;
  /** 3, as the SDK's default retries; tests take 1. */
  readonly maxAttempts?: number;
}

/** Each attempt's bound: Secrets Manager answers in milliseconds; anything slower is a fault. */
const ATTEMPT_TIMEOUT_MS = 2000;
const BACKOFF_MS = 100;

/**
 * The region the call is signed for: the function's own (Lambda sets AWS_REGION), else the
 * secret's, from its ARN (the operator's CLI may run with its region in a profile).
 */
export function regionOf(env: NodeJS.ProcessEnv, secretId: string): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || (secretId.startsWith('arn:') ? (secretId.split(':')[3] ?? '') : '');
}

/**
 * Secrets Manager's endpoint as the SDK resolves it from the environment: the service's own
 * variable (the rehearsal's gateway sets it), then the global one, then the regional (FIPS) host.
 */
export function secretsManagerEndpoint(env: NodeJS.ProcessEnv, region: string): string {
  const given = env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL;
  if (given) return given;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://secretsmanager${env.AWS_USE_FIPS_ENDPOINT === 'true' ? '-fips' : ''}.${region}.${domain}`;
}

/** An answer that is not a secret, named as the SDK names it (so isDependencyFailure reads it alike). */
class SecretsManagerError extends Error {
  constructor(
    name: string,
    message: string,
    readonly $fault: 'client' | 'server',
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * One GetSecretValue, signed (SigV4) and sent with fetch: what a function that reads one secret
 * at start needs of Secrets Manager, without its SDK client (~200 kB of bundle and of cold import
 * where the function has no other client). A failed connection, a timeout, a server fault or
 * throttling is retried with backoff like the SDK's; anything else is thrown at once.
 */
export async function readSecretString(target: SecretReadTarget, secretId: string): Promise<string | undefined> {
  const region = regionOf(target.env, secretId);
  const url = new URL(target.endpoint ?? secretsManagerEndpoint(target.env, region));
  const signer = new SignatureV4({
    service: 'secretsmanager',
    region,
    credentials: target.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const attempts = target.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptRead(signer, url, secretId);
    } catch (error) {
      if (attempt >= attempts || !isDependencyFailure(error)) throw error;
      await new Promise((done) => setTimeout(done, BACKOFF_MS * 2 ** (attempt - 1) * Math.random()));
    }
  }
}

async function attemptRead(signer: SignatureV4, url: URL, secretId: string): Promise<string | undefined> {
  const body = JSON.stringify({ SecretId: secretId });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
    },
    body,
  });
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError') throw error;
    // fetch rejects only when no answer came: the connection failed.
    throw Object.assign(new Error(`no answer: ${(error as Error)?.message}`), { name: 'NetworkError', code: 'ECONNRESET', cause: error });
  }
  const answer = (await response.json().catch(() => ({}))) as {
    SecretString?: string;
    __type?: string;
    message?: string;
    Message?: string;
  };
  if (response.ok) return answer.SecretString;
  // The JSON protocol names the error `[namespace#]Name`.
  const name = (answer.__type ?? `Http${response.status}`).split('#').pop()!;
  throw new SecretsManagerError(
    name,
    answer.message ?? answer.Message ?? `HTTP ${response.status}`,
    response.status >= 500 ? 'server' : 'client',
  );
}
