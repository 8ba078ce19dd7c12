import { createHash } from 'node:crypto';

/**
 * The key of a rate-limit counter: what it counts (`ip`, `sponsor`) and a hash of whom. The
 * counter needs identity, not the client address or mailbox itself, so neither is stored.
 */
export function limitKey(kind: string, value: string): string {
  return `${kind}#${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
}
