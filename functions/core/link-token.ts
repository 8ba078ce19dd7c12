import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens behind emailed links: 256 bits from the CSPRNG, base64url. Only the SHA-256 of a token
 * is ever stored, so a copy of the table cannot be turned into working links.
 */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Cheap shape check so that garbage never reaches the database. */
export function isLinkTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
