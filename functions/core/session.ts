import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A sponsor session proves a mailbox (docs/design.md §2): an OpenID Connect sign-in whose provider
 * vouches for the address, or a one-time code sent to the mailbox and typed back. A link alone
 * proves nothing: whoever holds it may be a forwardee, a shared inbox or a mail scanner.
 */
export type SignInMethod = 'oidc' | 'emailed_code';

/** Who signed in, and how: what the audit entry names as `via`. */
export interface SignedIn {
  /** The canonical mailbox (no `+tag`) the session is named by. */
  readonly mailbox: string;
  /** Other mailboxes the provider vouches for (Login.gov's `all_emails`): the session proves them too. */
  readonly also?: readonly string[];
  readonly method: SignInMethod;
  /** OIDC: the provider's subject and the assurance level it reported. */
  readonly sub?: string;
  readonly acr?: string;
}

export interface SponsorSession extends SignedIn {
  /** The session's own random id: never shown, so a page's CSRF token cannot be guessed from outside. */
  readonly sid: string;
  /** Epoch milliseconds: a sign-out after this ends the session. */
  readonly issuedAtMs: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/** Signed session tokens (jose JWTs of purpose `session` in production). */
export interface SessionTokens {
  issue(who: SignedIn, nowMs: number): Promise<{ token: string; session: SponsorSession }>;
  /** The session a token stands for; none when it is forged, of another purpose, or past its time. */
  check(token: string, nowMs: number): Promise<SponsorSession | undefined>;
}

/** An OpenID Connect sign-in in progress: what the callback must match, and where to go after. */
export interface SignInTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly next: string;
}

/** Sealed sign-ins in progress (a signed cookie in production): nothing is stored server-side. */
export interface SignInTransactions {
  seal(transaction: SignInTransaction, nowMs: number): Promise<string>;
  open(sealed: string, nowMs: number): Promise<SignInTransaction | undefined>;
}

/** Every mailbox the session proves. */
export function mailboxesOf(who: SignedIn): readonly string[] {
  return [who.mailbox, ...(who.also ?? [])];
}

/** The CSRF token every state-changing form of a session carries: bound to that session alone. */
export function csrfTokenOf(session: SponsorSession): string {
  return createHash('sha256').update(`csrf:${session.sid}`, 'utf8').digest('base64url');
}

/** Compared in constant time: the time taken says nothing about how much of a guess was right. */
export function isCsrfTokenOf(session: SponsorSession, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenOf(session), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Where to go after signing in: a path on this service only (`/sponsors`, `/sponsorships/review?…`).
 * Anything else — another origin, a scheme-relative `//host`, a backslash trick — is the dashboard.
 */
export function safeNextPath(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next) || next.length > 2000) return '/sponsors';
  return next;
}
