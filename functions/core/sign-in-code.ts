import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { seconds } from './account';

/**
 * The emailed sign-in code: six digits to the sponsor's mailbox, typed back on the page that asked
 * for it. Scanner-proof (a scanner that opens the email has no page to type into) and
 * forward-proof (a forwarded email holds a code for a page the forwardee never opened, bound to
 * a mailbox they do not have). One use, ten minutes; only a salted hash is stored; five wrong
 * codes lock the mailbox's codes for an hour.
 */
export const CODE_DIGITS = 6;
export const CODE_TTL_SECONDS = 600;
export const WRONG_CODES_BEFORE_LOCK = 5;
export const LOCK_SECONDS = 3600;

/** A sponsor's record: their current sign-in code (hashed) and the wrong tries against it. */
export interface SponsorRecord {
  /** The sponsor's mailbox (canonical address without `+tag`). */
  readonly mailbox: string;
  readonly codeHash?: string;
  readonly codeSalt?: string;
  /** Epoch seconds. */
  readonly codeExpiresAt?: number;
  /** Wrong codes typed since the last right one or the last lock. */
  readonly wrongCodes?: number;
  /** Epoch seconds: no code works, and none is sent, until then. */
  readonly lockedUntil?: number;
  /** Epoch milliseconds of the last sign-out: every session of the mailbox issued before it has ended. */
  readonly signedOutAt?: number;
  readonly version: number;
}

export function newSignInCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

function hashOf(mailbox: string, code: string, salt: string): string {
  return createHash('sha256').update(`${salt}:${mailbox}:${code}`, 'utf8').digest('base64url');
}

export function isLocked(record: SponsorRecord | undefined, nowMs: number): boolean {
  return record?.lockedUntil !== undefined && seconds(nowMs) < record.lockedUntil;
}

/** The record with a new current code (the previous one stops working); wrong tries carry over. */
export function withNewCode(record: SponsorRecord | undefined, mailbox: string, code: string, nowMs: number): SponsorRecord {
  const salt = randomBytes(16).toString('base64url');
  const lockOver = record?.lockedUntil !== undefined && seconds(nowMs) >= record.lockedUntil;
  // A lock still running stays; the caller sends no code while it runs.
  const { lockedUntil: _lock, ...kept } = record ?? { mailbox, version: -1 };
  const lock = record?.lockedUntil !== undefined && !lockOver ? { lockedUntil: record.lockedUntil } : {};
  return {
    ...kept,
    mailbox,
    codeHash: hashOf(mailbox, code, salt),
    codeSalt: salt,
    codeExpiresAt: seconds(nowMs) + CODE_TTL_SECONDS,
    wrongCodes: lockOver ? 0 : (record?.wrongCodes ?? 0),
    ...lock,
    version: (record?.version ?? -1) + 1,
  };
}

export type CodeCheck =
  /** The code is right: the record with it used up. */
  | { readonly verdict: 'right'; readonly next: SponsorRecord }
  /** Wrong, expired, used or never sent: one answer for all; `next` counts a wrong try where there was a code to guess. */
  | { readonly verdict: 'wrong'; readonly next?: SponsorRecord }
  | { readonly verdict: 'locked'; readonly retryAfterSeconds: number; readonly next?: SponsorRecord };

/** Checks a typed code against the mailbox's record, in constant time. */
export function checkCode(record: SponsorRecord | undefined, code: string, nowMs: number): CodeCheck {
  const now = seconds(nowMs);
  if (record && isLocked(record, nowMs)) return { verdict: 'locked', retryAfterSeconds: record.lockedUntil! - now };
  if (!record?.codeHash || !record.codeSalt || record.codeExpiresAt === undefined) return { verdict: 'wrong' };
  const { codeHash: _hash, codeSalt: _salt, codeExpiresAt: _expires, lockedUntil: _lock, ...rest } = record;
  const expected = Buffer.from(record.codeHash, 'utf8');
  const actual = Buffer.from(hashOf(record.mailbox, code, record.codeSalt), 'utf8');
  const right = expected.length === actual.length && timingSafeEqual(expected, actual) && now < record.codeExpiresAt;
  if (right) return { verdict: 'right', next: { ...rest, wrongCodes: 0, version: record.version + 1 } };
  const wrongCodes = (record.lockedUntil !== undefined ? 0 : (record.wrongCodes ?? 0)) + 1;
  if (wrongCodes < WRONG_CODES_BEFORE_LOCK) return { verdict: 'wrong', next: { ...record, wrongCodes, version: record.version + 1 } };
  // The fifth wrong code: the code goes, and no code works or is sent for an hour.
  return {
    verdict: 'locked',
    retryAfterSeconds: LOCK_SECONDS,
    next: { ...rest, wrongCodes: 0, lockedUntil: now + LOCK_SECONDS, version: record.version + 1 },
  };
}

/** A typed code as people type it: spaces and dashes are not part of it. */
export function typedCode(input: string | undefined): string {
  return (input ?? '').replace(/[\s-]/g, '');
}
