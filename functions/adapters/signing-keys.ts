import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReadSecret } from './secret-string';

/**
 * Approval-token signing keys. The stored secret holds, per key, a `kid` and a random `seed`;
 * the Ed25519 key pair is derived from the seed (HKDF-SHA256). One key signs; every listed key
 * verifies, so rotation is: add a new key and make it the signing one, wait out
 * APPROVAL_TTL_SECONDS, then remove the old one.
 *
 *   {"kid":"k1","seed":"…"}                                   a single key
 *   {"signing":"k2","keys":[{"kid":"k2","seed":"…"},{"kid":"k1","seed":"…"}]}
 */

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

export interface KeySet {
  readonly signing: SigningKey;
  /** Public keys by `kid`, for verification. */
  readonly verification: ReadonlyMap<string, KeyObject>;
}

export class KeySetError extends Error {
  override readonly name = 'KeySetError';
}

/** Secret material shorter than this is refused, whatever its format. */
export const MIN_SEED_BYTES = 32;
const KID = /^[A-Za-z0-9._-]{1,64}$/;
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function deriveKey(kid: string, seed: string): KeyObject {
  const bytes = Buffer.from(hkdfSync('sha256', Buffer.from(seed, 'utf8'), 'sandbox-gatekeeper', `approval-signing:${kid}`, 32));
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes]), format: 'der', type: 'pkcs8' });
}

function entry(value: unknown, source: string): { kid: string; seed: string } {
  const { kid, seed } = (value ?? {}) as { kid?: unknown; seed?: unknown };
  if (typeof kid !== 'string' || !KID.test(kid))
    throw new KeySetError(`${source}: every key needs a "kid" of 1–64 letters, digits, ".", "_" or "-"`);
  if (typeof seed !== 'string' || Buffer.byteLength(seed, 'utf8') < MIN_SEED_BYTES) {
    throw new KeySetError(`${source}: key "${kid}" has a seed shorter than ${MIN_SEED_BYTES} bytes; refusing a weak signing secret`);
  }
  return { kid, seed };
}

export function parseKeySet(json: string, source: string): KeySet {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new KeySetError(`${source}: not valid JSON`);
  }
  const document = (value ?? {}) as { keys?: unknown; signing?: unknown };
  const entries = Array.isArray(document.keys) ? document.keys.map((item) => entry(item, source)) : [entry(value, source)];
  if (entries.length === 0) throw new KeySetError(`${source}: no keys`);
  if (document.signing !== undefined && typeof document.signing !== 'string') throw new KeySetError(`${source}: "signing" must name a kid`);
  const signingKid = document.signing ?? entries[0]!.kid;
  const verification = new Map<string, KeyObject>();
  let signing: SigningKey | undefined;
  for (const { kid, seed } of entries) {
    if (verification.has(kid)) throw new KeySetError(`${source}: kid "${kid}" appears twice`);
    const privateKey = deriveKey(kid, seed);
    verification.set(kid, createPublicKey(privateKey));
    if (kid === signingKid) signing = { kid, privateKey };
  }
  if (!signing) throw new KeySetError(`${source}: the signing key "${signingKid}" is not among the keys`);
  return { signing, verification };
}

/** A fresh single-key secret: 256 bits from the CSPRNG. */
export function newKeySetJson(kid = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): string {
  return JSON.stringify({ signing: kid, keys: [{ kid, seed: randomBytes(32).toString('base64url') }] }, null, 2);
}

export type KeyLoader = () => Promise<KeySet>;

/** Reads the key set once (per cold start) and keeps it; a failure is retried on the next call. */
export function cachedKeys(read: () => Promise<string>, source: string): KeyLoader {
  let loaded: Promise<KeySet> | undefined;
  return () => {
    loaded ??= read()
      .then((json) => parseKeySet(json, source))
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return loaded;
  };
}

export function fileKeys(path: string): KeyLoader {
  return cachedKeys(() => readFile(path, 'utf8'), 'SIGNING_KEYS_FILE');
}

export function secretKeys(readSecret: ReadSecret, secretId: string): KeyLoader {
  return cachedKeys(async () => {
    const SecretString = await readSecret(secretId);
    if (!SecretString) throw new KeySetError('SIGNING_KEYS_SECRET_ARN: the secret has no string value');
    return SecretString;
  }, 'SIGNING_KEYS_SECRET_ARN');
}
