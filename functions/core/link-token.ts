import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens behind emailed verification links: `<link id>.<secret>`. The link id (128 bits) names
 * the account's links, so any of its newest links finds it through one index; the secret (256
 * bits from the CSPRNG) is what proves the link. Only the SHA-256 of a whole token is stored, so
 * a copy of the table cannot be turned into working links.
 */
const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

export function newLinkId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** A new link for the account whose links carry `linkId` (by default, a new link id). */
export function newLinkToken(linkId: string = newLinkId()): string {
  return `${linkId}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** The link id of a well-shaped token; a cheap check, so that garbage never reaches the database. */
export function linkIdOf(token: string): string | undefined {
  return TOKEN_SHAPE.exec(token)?.[1];
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
