import type { KeyObject } from 'node:crypto';
import { errors, type JWTHeaderParameters, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { KeyLoader, KeySet } from './signing-keys';

/**
 * Short-lived JWTs of one purpose, signed and verified by this service alone with its signing
 * keys (EdDSA). Verification pins the algorithm, `typ`, issuer and audience — so a token made for
 * one purpose (a session, a sign-in in progress, an approval) never passes for another — and
 * refuses any header that would point at another key (`jku`, `x5u`, `x5c`, `jwk`) or demand
 * extensions (`crit`).
 */
export interface Purpose {
  readonly typ: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

const ISSUER = 'sandbox-gatekeeper';
const MAX_TOKEN_LENGTH = 4096;
/** A cheap shape check, so that garbage never reaches the verifier. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FOREIGN_KEY_HEADERS = ['jku', 'x5u', 'x5c', 'jwk', 'crit'] as const;

/** The verification key a token's header names: one of ours by `kid`, never a key the token points at. */
export function keyFor(verification: KeySet['verification']): (header: JWTHeaderParameters) => KeyObject {
  return (header) => {
    const key = typeof header.kid === 'string' ? verification.get(header.kid) : undefined;
    if (!key || FOREIGN_KEY_HEADERS.some((name) => name in header)) throw new errors.JWSInvalid('refused header');
    return key;
  };
}

export async function signFor(
  keys: KeyLoader,
  purpose: Purpose,
  claims: JWTPayload,
  nowMs: number,
): Promise<{ token: string; expiresAt: number }> {
  const { signing } = await keys();
  const issuedAt = Math.floor(nowMs / 1000);
  const expiresAt = issuedAt + purpose.ttlSeconds;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: purpose.typ, kid: signing.kid })
    .setIssuer(ISSUER)
    .setAudience(purpose.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(signing.privateKey);
  return { token, expiresAt };
}

/** The token's claims if it is genuine, of this purpose and within its time; otherwise none. */
export async function verifiedFor(keys: KeyLoader, purpose: Purpose, token: string, nowMs: number): Promise<JWTPayload | undefined> {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  const { verification } = await keys();
  try {
    const { payload } = await jwtVerify(token, keyFor(verification), {
      algorithms: ['EdDSA'],
      typ: purpose.typ,
      issuer: ISSUER,
      audience: purpose.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: 5,
      maxTokenAge: purpose.ttlSeconds,
      currentDate: new Date(nowMs),
    });
    return payload;
  } catch {
    return undefined;
  }
}
