import { randomBytes } from 'node:crypto';

/**
 * The webhook signing secret has one format everywhere (locally, in the stack's secret, at the
 * sandbox): `whsec_` followed by the base64 of at least 24 random bytes, which the Standard
 * Webhooks libraries take as it is.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Random bytes in a secret this service makes. */
export const WEBHOOK_SECRET_BYTES = 32;

/** A new secret: `whsec_` + base64 of 32 random bytes (locally under DATA_DIR, in AWS the stack's custom step). */
export function newWebhookSecret(bytes: Uint8Array = randomBytes(WEBHOOK_SECRET_BYTES)): string {
  return `${WEBHOOK_SECRET_PREFIX}${Buffer.from(bytes).toString('base64')}`;
}

export function isWebhookSecret(value: string): boolean {
  const encoded = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value)?.[1];
  return encoded !== undefined && Buffer.from(encoded, 'base64').length >= 24;
}
