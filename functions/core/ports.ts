import type { Account } from './account';
import type { Email, Link } from './email';
import type { EmailLimits } from './mailbox-allowance';
import type { MetricName } from './metric-names';
import type { AccessEvent } from './outbox';
import type { RegisteredDomain } from './registry';
import type { SponsorRecord } from './sign-in-code';

export type { MetricName } from './metric-names';

/** Accounts by canonical address. Every write is conditional; `false` means another write won. */
export interface AccountStore {
  /** Strongly consistent read. */
  get(email: string): Promise<Account | undefined>;
  /** Finds the account whose verification links carry this link id. */
  findByLinkId(linkId: string): Promise<Account | undefined>;
  /** Finds the contractor account whose open or decided request has this id. */
  findByRequestId(requestId: string): Promise<Account | undefined>;
  /** Writes `next` only if the stored version is still `expectedVersion` (`null`: only if absent). */
  put(next: Account, expectedVersion: number | null): Promise<boolean>;
  /** Removes the account only if the stored version is still `expectedVersion`. */
  remove(email: string, expectedVersion: number): Promise<boolean>;
  /** Strongly consistent reads of several accounts (absent ones are left out). */
  getMany(emails: readonly string[]): Promise<Account[]>;
  /** Accounts whose next duty is due by `nowSeconds`, soonest first, at most `limit` (an index: never a scan). */
  findDue(nowSeconds: number, limit: number): Promise<Account[]>;
  /** Every agency account whose address's registered domain is `domain` (an index, eventually consistent). */
  findByDomain(domain: string): Promise<Account[]>;
}

/** Every account, a page at a time, for the sandbox's roster. */
export interface AccountPages {
  /** Whether a cursor is one this service handed out (a position in its own order). */
  isCursor(cursor: string): boolean;
  /** Up to `wanted` accounts that `keep` admits, from `cursor` on; `next` when there may be more. */
  page(cursor: string | undefined, wanted: number, keep: (account: Account) => boolean): Promise<{ accounts: Account[]; next?: string }>;
}

/**
 * Sponsors by mailbox: their sign-in code (only its hash) and the requests that named them.
 * Every write of the record is conditional; `false` means another write won.
 */
export interface SponsorDirectory {
  /** Strongly consistent read. */
  get(mailbox: string): Promise<SponsorRecord | undefined>;
  put(next: SponsorRecord, expectedVersion: number | null): Promise<boolean>;
  /** Records that a request named this sponsor (idempotent). */
  addRequest(mailbox: string, requestId: string, email: string): Promise<void>;
  /** The contractor address of one of this sponsor's requests, if it is theirs. */
  requestOf(mailbox: string, requestId: string): Promise<string | undefined>;
  /** Every request that named this sponsor: its id and the contractor's address. */
  requests(mailbox: string): Promise<{ readonly requestId: string; readonly email: string }[]>;
}

export type LimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Each mailbox's allowance of anonymous-triggered emails (see core/mailbox-allowance.ts). */
export interface MailboxAllowances {
  /** Counts one email against the mailbox's allowance, if any is left (conditional write); false when none is. */
  take(mailbox: string, nowMs: number, limits: EmailLimits): Promise<boolean>;
  /** Gives back what `take` took at `nowMs` (another limit refused the email): the next email may go at once. */
  giveBack(mailbox: string, nowMs: number, limits: EmailLimits): Promise<void>;
}

/**
 * The reputation breaker: open while SES reports a bounce or complaint rate that puts the
 * account at risk. While open, emails that anonymous requests trigger are held (not sent);
 * emails that follow a person's confirmed click still go. Only an operator closes it.
 */
export interface ReputationBreaker {
  isOpen(): Promise<boolean>;
  /** Idempotent: false when it was already open. */
  open(reason: string, nowMs: number): Promise<boolean>;
  /** An operator closes it, once the cause is found; false when it was not open. */
  close(): Promise<boolean>;
}

/** Fixed-window counters, e.g. requests per client address per hour. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number, nowMs: number): Promise<LimitDecision>;
  /** Gives one hit back (never below zero): a request that a dependency failed costs the client nothing. */
  refund(key: string, windowSeconds: number, nowMs: number): Promise<void>;
}

export interface ApprovalClaims {
  /** The request the token decides (JWT `sub`). */
  readonly requestId: string;
  readonly jti: string;
}

/**
 * What a token check found. The adapter only reports the fact; the use case decides what a
 * refusal means (log, count, answer).
 */
export type TokenCheck =
  | { readonly verdict: 'valid' | 'expired'; readonly claims: ApprovalClaims }
  /** Forged, malformed, of another purpose or another key: nothing in it can be trusted. */
  | { readonly verdict: 'invalid' };

/** Signed approval tokens for the sponsor's link (jose JWTs in production). */
export interface ApprovalTokens {
  issue(requestId: string, nowMs: number): Promise<{ token: string; jti: string; expiresAt: number }>;
  /** `expired`: genuine, but past its time (its claims are genuine too). */
  check(token: string, nowMs: number): Promise<TokenCheck>;
}

/**
 * Sends one email to one canonical address. A suppressing notifier sends nothing to a suppressed
 * mailbox ('suppressed'); the bare mailer leaves that check to its caller. Throws
 * EmailNotSentError when the mail service refuses.
 */
export interface Notifier {
  /** `link`: the email's link, resolved and (where its page needs one) with a fresh token. */
  send(to: string, email: Email, link?: Link): Promise<'sent' | 'suppressed'>;
}

/** The mail service refused a message. Permanent: retrying will not help (rejected, paused…). */
export class EmailNotSentError extends Error {
  override readonly name = 'EmailNotSentError';
  constructor(
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Delivers one webhook event to the sandbox (Standard Webhooks: `webhook-id` = `id`, stable across
 * retries). Never throws: any answer but 2xx, or none in time, is a failure to retry.
 */
export interface WebhookSender {
  /** `timeoutMs`: a shorter wait than the sender's own, for a send a person's answer waits on. */
  send(
    id: string,
    event: AccessEvent,
    options?: { readonly timeoutMs?: number },
  ): Promise<{ outcome: 'delivered' | 'transient' | 'permanent'; error?: string }>;
}

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  nowMs(): number;
}

/**
 * Mailboxes that bounced permanently or complained: nothing more is sent to them. Keyed on the
 * mailbox (`+tag` removed), so another spelling of a suppressed address is suppressed too.
 */
export interface SuppressionList {
  /** Whether the mailbox is suppressed now (a suppression past its `until` no longer counts). */
  isSuppressed(mailbox: string, nowMs: number): Promise<boolean>;
  /**
   * Idempotent: a duplicate notification changes nothing. Returns whether it was new. `untilMs`:
   * when it lapses (a bounce); none: kept until an operator removes it (a complaint).
   */
  suppress(mailbox: string, reason: 'bounce' | 'complaint', nowMs: number, untilMs?: number): Promise<boolean>;
  /** An operator lifts a mailbox's suppression; false when it had none. */
  lift(mailbox: string): Promise<boolean>;
}

export interface Metrics {
  /** Adds one (or `value`) to a counter; `dimension` splits it, e.g. `{ reason: 'expired' }`. */
  count(name: MetricName, dimension?: Readonly<Record<string, string>>, value?: number): void;
}

/** What the last good load of the .gov registry was. */
export interface RegistrySnapshot {
  /** When the registry published it (ISO 8601). */
  readonly publishedAt: string;
  readonly domains: number;
  readonly loadedAt: string;
  /** The loaded file's SHA-256 (hex): the same file fetched again is not loaded again. */
  readonly sha256?: string;
}

/** The .gov registry as the table holds it: a domain's entry, every entry (for a load), and a load's changes. */
export interface DomainRegistry {
  /** The registered domain, if the registry lists it (a removed one is returned with `removedAt`). */
  lookup(domain: string): Promise<(RegisteredDomain & { readonly removedAt?: string }) | undefined>;
  snapshot(): Promise<RegistrySnapshot | undefined>;
  all(): Promise<Map<string, RegisteredDomain & { readonly removedAt?: string }>>;
  /** Writes what changed, marks what is gone (never deletes), then the snapshot's facts; returns the items written. */
  apply(
    changes: { upserts: readonly RegisteredDomain[]; removed: readonly RegisteredDomain[] },
    snapshot: RegistrySnapshot,
    nowIso: string,
  ): Promise<number>;
  /** Domains marked removed whose accounts are yet to be suspended, oldest first, at most `limit` (an index: never a scan). */
  leftDue(nowSeconds: number, limit: number): Promise<DeregisteredDomain[]>;
  /** Its accounts are suspended: no longer due (a no-op if it has come back or left again since). */
  settleLeft(domain: DeregisteredDomain): Promise<void>;
}

/** A domain that left the registry, as marked by the load that found it gone. */
export type DeregisteredDomain = RegisteredDomain & { readonly removedAt: string };

/**
 * What a form post did, signed for the page its redirect shows (POST-redirect-GET): a reload
 * shows the outcome again and re-posts nothing. Short-lived, bound to one page, never an address;
 * the page trusts nothing else in its URL.
 */
export interface OutcomeNotes {
  sign(page: string, outcome: Readonly<Record<string, string>>, nowMs: number): Promise<string>;
  /** The outcome a genuine, current note for `page` carries; none for anything else. */
  read(page: string, note: string, nowMs: number): Promise<Readonly<Record<string, string>> | undefined>;
}
