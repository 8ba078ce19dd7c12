/**
 * In-memory fakes of the ports in functions/core/ports.ts, for unit tests without network.
 * Each fake records what it was asked so a test can assert on behaviour (what was stored, what
 * was sent, what was logged) rather than on how the code under test got there.
 */
import type { Account } from '../../functions/core/account';
import type { Email, Link } from '../../functions/core/email';
import { type Allowance, allowanceDay, type EmailLimits, mayTake } from '../../functions/core/mailbox-allowance';
import type {
  AccountStore,
  ApprovalTokens,
  Clock,
  DeregisteredDomain,
  DomainRegistry,
  LimitDecision,
  Log,
  MailboxAllowances,
  MetricName,
  Metrics,
  Notifier,
  RateLimiter,
  ReputationBreaker,
  SponsorDirectory,
  SuppressionList,
  TokenCheck,
} from '../../functions/core/ports';
import type { RegisteredDomain } from '../../functions/core/registry';
import type { SignedIn, SignInMethod, SponsorSession } from '../../functions/core/session';
import type { SponsorRecord } from '../../functions/core/sign-in-code';

let sessions = 0;

/**
 * A signed-in sponsor, as the session token stands for one once checked: `oidc` carries the
 * provider's subject (`idp|<mailbox>` unless `extra` names one), `emailed_code` none. Each call is
 * another session (its own `sid`); it lasts well past any test's clock.
 */
export function sponsorSession(mailbox: string, method: SignInMethod = 'emailed_code', extra: Partial<SignedIn> = {}): SponsorSession {
  return {
    mailbox,
    method,
    ...(method === 'oidc' ? { sub: `idp|${mailbox}` } : {}),
    ...extra,
    sid: `sid-${++sessions}`,
    issuedAtMs: Date.parse('2000-01-01T00:00:00.000Z'),
    expiresAt: Date.parse('2100-01-01T00:00:00.000Z') / 1000,
  };
}

/** Sponsors' records and request rows, with the conditional-write contract of `put` (as the account store's). */
export class InMemorySponsorDirectory implements SponsorDirectory {
  private readonly records = new Map<string, SponsorRecord>();
  private readonly rows = new Map<string, Map<string, string>>();

  async get(mailbox: string): Promise<SponsorRecord | undefined> {
    const record = this.records.get(mailbox);
    return record ? structuredClone(record) : undefined;
  }

  async put(next: SponsorRecord, expectedVersion: number | null): Promise<boolean> {
    const current = this.records.get(next.mailbox);
    const written = expectedVersion === null ? current === undefined : current?.version === expectedVersion;
    if (written) this.records.set(next.mailbox, structuredClone(next));
    return written;
  }

  async addRequest(mailbox: string, requestId: string, email: string): Promise<void> {
    const rows = this.rows.get(mailbox) ?? new Map<string, string>();
    rows.set(requestId, email);
    this.rows.set(mailbox, rows);
  }

  async requestOf(mailbox: string, requestId: string): Promise<string | undefined> {
    return this.rows.get(mailbox)?.get(requestId);
  }

  async requests(mailbox: string): Promise<{ requestId: string; email: string }[]> {
    return [...(this.rows.get(mailbox) ?? new Map<string, string>())].map(([requestId, email]) => ({ requestId, email }));
  }
}

/**
 * What every writer of an account is configured with by default: retries as configured
 * (docs/design.md §7), no webhook receiver unless a test gives one, a 90-day contractor period.
 */
/** The service's default budgets of anonymous-triggered email. */
export const BUDGETS = { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 } as const;

export const DELIVERY = {
  delivery: { retrySeconds: 60, maxAttempts: 12 },
  events: false,
  lifecycle: { accessSeconds: 90 * 86_400, renewalNoticeSeconds: 14 * 86_400 },
} as const;

/** Deep copy, so nobody holds a reference into the store (a real database hands out copies too). */
function copy<T>(value: T): T {
  return structuredClone(value);
}

export interface PutCall {
  readonly next: Account;
  readonly expectedVersion: number | null;
  readonly written: boolean;
}

/**
 * Accounts keyed by canonical email, with the conditional-write contract of `put` honoured
 * exactly and atomically (check and write happen in one synchronous step, like a DynamoDB
 * conditional put):
 *   - `expectedVersion === null`: written only if no account exists under that email;
 *   - `expectedVersion === n`:     written only if an account exists and its version is `n`.
 * `findByLinkId` behaves like the `byLink` index: it finds the account whose `linkId` it is.
 * `remove` honours the same version condition as `put`.
 */
export class InMemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, Account>();
  readonly calls = { get: 0, findByLinkId: 0, findByRequestId: 0, put: 0, remove: 0, getMany: 0, findDue: 0, findByDomain: 0 };
  readonly puts: PutCall[] = [];
  /**
   * Runs inside `put` before the condition is checked: lets a test slip a competing write in
   * between a use case's read and its write (a lost race).
   */
  beforePut?: (next: Account, expectedVersion: number | null) => void;

  constructor(initial: readonly Account[] = []) {
    for (const account of initial) this.seed(account);
  }

  /** Stores an account unconditionally, outside the port (test set-up); not counted as a call. */
  seed(account: Account): void {
    this.accounts.set(account.email, copy(account));
  }

  /** The stored account, read outside the port (test assertions); not counted as a call. */
  peek(email: string): Account | undefined {
    const account = this.accounts.get(email);
    return account ? copy(account) : undefined;
  }

  /** Every stored account, read outside the port. */
  all(): Account[] {
    return [...this.accounts.values()].map(copy);
  }

  get size(): number {
    return this.accounts.size;
  }

  /** How many times any port method was called. */
  get totalCalls(): number {
    return Object.values(this.calls).reduce((sum, count) => sum + count, 0);
  }

  async getMany(emails: readonly string[]): Promise<Account[]> {
    this.calls.getMany++;
    return [...new Set(emails)].flatMap((email) => this.peek(email) ?? []);
  }

  /** Like the `byDue` index: accounts with a due time by `nowSeconds`, soonest first. */
  async findDue(nowSeconds: number, limit: number): Promise<Account[]> {
    this.calls.findDue++;
    return [...this.accounts.values()]
      .filter((account) => account.dueAt !== undefined && account.dueAt <= nowSeconds)
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
      .slice(0, limit)
      .map(copy);
  }

  async findByDomain(domain: string): Promise<Account[]> {
    this.calls.findByDomain++;
    return [...this.accounts.values()].filter((account) => account.registeredDomain === domain).map(copy);
  }

  async get(email: string): Promise<Account | undefined> {
    this.calls.get++;
    return this.peek(email);
  }

  async findByLinkId(linkId: string): Promise<Account | undefined> {
    this.calls.findByLinkId++;
    for (const account of this.accounts.values()) {
      if (account.linkId !== undefined && account.linkId === linkId) return copy(account);
    }
    return undefined;
  }

  async findByRequestId(requestId: string): Promise<Account | undefined> {
    this.calls.findByRequestId++;
    for (const account of this.accounts.values()) {
      if (account.requestId !== undefined && account.requestId === requestId) return copy(account);
    }
    return undefined;
  }

  async put(next: Account, expectedVersion: number | null): Promise<boolean> {
    this.calls.put++;
    this.beforePut?.(next, expectedVersion);
    const current = this.accounts.get(next.email);
    const written = expectedVersion === null ? current === undefined : current !== undefined && current.version === expectedVersion;
    if (written) this.accounts.set(next.email, copy(next));
    this.puts.push({ next: copy(next), expectedVersion, written });
    return written;
  }

  async remove(email: string, expectedVersion: number): Promise<boolean> {
    this.calls.remove++;
    const removed = this.accounts.get(email)?.version === expectedVersion;
    if (removed) this.accounts.delete(email);
    return removed;
  }
}

export interface SentEmail {
  readonly to: string;
  readonly email: Email;
  readonly link?: Link;
}

/** Records every email; can be told to fail (e.g. SES throttling or MessageRejected). */
export class RecordingNotifier implements Notifier {
  /** Emails accepted for delivery. */
  readonly sent: SentEmail[] = [];
  /** Every call, including the ones that failed. */
  readonly attempts: SentEmail[] = [];
  /** When set, every `send` rejects with this error and nothing counts as sent. */
  failWith: Error | undefined;

  async send(to: string, email: Email, link?: Link): Promise<'sent'> {
    const sent = { to, email: copy(email), ...(link ? { link: copy(link) } : {}) };
    this.attempts.push(sent);
    if (this.failWith) throw this.failWith;
    this.sent.push(sent);
    return 'sent';
  }

  /** The last email sent, or an error if none was. */
  last(): SentEmail {
    const email = this.sent.at(-1);
    if (!email) throw new Error('no email was sent');
    return email;
  }
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** Keeps every log line; `text()` is everything that would have reached the log, serialised. */
export class RecordingLog implements Log {
  readonly entries: LogEntry[] = [];

  info(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, fields });
  }

  at(level: LogLevel): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }

  text(): string {
    return this.entries.map((entry) => JSON.stringify(entry)).join('\n');
  }
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: number | string | Date = '2030-01-15T12:00:00.000Z') {
    this.ms = ManualClock.toMs(start);
  }

  private static toMs(value: number | string | Date): number {
    return typeof value === 'number' ? value : new Date(value).getTime();
  }

  nowMs(): number {
    return this.ms;
  }

  set(to: number | string | Date): void {
    this.ms = ManualClock.toMs(to);
  }

  advanceMs(ms: number): void {
    this.ms += ms;
  }

  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Mailbox allowances by UTC day, with exactly the rule the DynamoDB condition checks (core mayTake). */
export class InMemoryMailboxAllowances implements MailboxAllowances {
  private readonly days = new Map<string, Allowance>();
  readonly taken: string[] = [];

  async take(mailbox: string, nowMs: number, limits: EmailLimits): Promise<boolean> {
    const slot = `${mailbox}@${allowanceDay(nowMs)}`;
    const today = this.days.get(slot);
    if (!mayTake(today, nowMs, limits)) return false;
    this.days.set(slot, { count: (today?.count ?? 0) + 1, lastEmailAt: Math.floor(nowMs / 1000) });
    this.taken.push(mailbox);
    return true;
  }

  async giveBack(mailbox: string, nowMs: number, limits: EmailLimits): Promise<void> {
    const slot = `${mailbox}@${allowanceDay(nowMs)}`;
    const today = this.days.get(slot);
    if (!today || today.lastEmailAt !== Math.floor(nowMs / 1000) || today.count <= 0) return;
    this.days.set(slot, { count: today.count - 1, lastEmailAt: Math.floor(nowMs / 1000) - limits.cooldownSeconds });
    this.taken.splice(this.taken.lastIndexOf(mailbox), 1);
  }
}

/** A breaker that is open once something opened it (or a test did). */
export class InMemoryBreaker implements ReputationBreaker {
  reason: string | undefined;

  async isOpen(): Promise<boolean> {
    return this.reason !== undefined;
  }

  async open(reason: string): Promise<boolean> {
    if (this.reason !== undefined) return false;
    this.reason = reason;
    return true;
  }

  async close(): Promise<boolean> {
    const wasOpen = this.reason !== undefined;
    this.reason = undefined;
    return wasOpen;
  }
}

/** Suppressed mailboxes with the DynamoDB list's rules: lapsing ones (a bounce's) and kept ones. */
export class InMemorySuppressionList implements SuppressionList {
  readonly suppressed = new Map<string, 'bounce' | 'complaint'>();
  readonly until = new Map<string, number>();

  async isSuppressed(mailbox: string, nowMs = 0): Promise<boolean> {
    const until = this.until.get(mailbox);
    return this.suppressed.has(mailbox) && (until === undefined || until > nowMs);
  }

  async suppress(mailbox: string, reason: 'bounce' | 'complaint', nowMs = 0, untilMs?: number): Promise<boolean> {
    const until = this.until.get(mailbox);
    const lapsed = until !== undefined && until < nowMs;
    if (this.suppressed.has(mailbox) && !lapsed && !(untilMs === undefined && until !== undefined)) return false;
    this.suppressed.set(mailbox, reason);
    if (untilMs === undefined) this.until.delete(mailbox);
    else this.until.set(mailbox, untilMs);
    return true;
  }

  async lift(mailbox: string): Promise<boolean> {
    this.until.delete(mailbox);
    return this.suppressed.delete(mailbox);
  }
}

/** Fixed-window counters per key, like the DynamoDB limiter: `limit` hits per window, then refusal. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  readonly hits: Array<{ key: string; limit: number; windowSeconds: number; nowMs: number }> = [];

  async hit(key: string, limit: number, windowSeconds: number, nowMs: number): Promise<LimitDecision> {
    this.hits.push({ key, limit, windowSeconds, nowMs });
    const now = Math.floor(nowMs / 1000);
    const windowStart = now - (now % windowSeconds);
    const slot = `${key}@${windowStart}`;
    const count = this.counts.get(slot) ?? 0;
    if (count >= limit) return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + windowSeconds - now) };
    this.counts.set(slot, count + 1);
    return { allowed: true };
  }

  async refund(key: string, windowSeconds: number, nowMs: number): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    const slot = `${key}@${now - (now % windowSeconds)}`;
    this.counts.set(slot, Math.max(0, (this.counts.get(slot) ?? 0) - 1));
  }
}

/**
 * Approval tokens without cryptography: `approval.<requestId>.<jti>.<expiresAt>`. Genuine means
 * "issued by this fake"; the jose adapter has its own tests against real signatures.
 */
export class FakeApprovalTokens implements ApprovalTokens {
  private readonly issued = new Set<string>();
  private next = 0;

  constructor(private readonly ttlSeconds = 604_800) {}

  async issue(requestId: string, nowMs: number): Promise<{ token: string; jti: string; expiresAt: number }> {
    const jti = `jti-${++this.next}`;
    const expiresAt = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const token = `approval.${requestId}.${jti}.${expiresAt}`;
    this.issued.add(token);
    return { token, jti, expiresAt };
  }

  async check(token: string, nowMs: number): Promise<TokenCheck> {
    if (!this.issued.has(token)) return { verdict: 'invalid' };
    const [, requestId, jti, expiresAt] = token.split('.');
    return { verdict: Math.floor(nowMs / 1000) >= Number(expiresAt) ? 'expired' : 'valid', claims: { requestId: requestId!, jti: jti! } };
  }
}

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Counts what the code under test counted, as `name` or `name{key=value}`. */
export class RecordingMetrics implements Metrics {
  readonly counts = new Map<string, number>();

  count(name: MetricName, dimension?: Readonly<Record<string, string>>, value = 1): void {
    const key = dimension
      ? `${name}{${Object.entries(dimension)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}`
      : name;
    this.counts.set(key, (this.counts.get(key) ?? 0) + value);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/**
 * The .gov registry: every `.gov` domain is listed (as a federal agency named after it) unless a
 * test lists it otherwise or removes it; records what it was asked.
 */
export class InMemoryDomainRegistry implements Pick<DomainRegistry, 'lookup' | 'leftDue' | 'settleLeft'> {
  readonly asked: string[] = [];
  private readonly entries = new Map<string, RegisteredDomain & { removedAt?: string }>();
  private readonly missing = new Set<string>();
  /** Domains marked removed whose accounts are yet to be suspended. */
  private readonly left = new Map<string, DeregisteredDomain>();

  /** As a load that finds the domain gone marks it: removed, and due for the sweep. */
  leave(domain: string, removedAt: string): this {
    const entry = this.entries.get(domain) ?? { domain, type: 'Federal - Executive', organization: `Agency of ${domain}` };
    const removed = { ...entry, removedAt };
    this.entries.set(domain, removed);
    this.left.set(domain, removed);
    return this;
  }

  due(): string[] {
    return [...this.left.keys()];
  }

  async leftDue(nowSeconds: number, limit: number): Promise<DeregisteredDomain[]> {
    return [...this.left.values()].filter((domain) => Date.parse(domain.removedAt) / 1000 <= nowSeconds).slice(0, limit);
  }

  async settleLeft(domain: DeregisteredDomain): Promise<void> {
    if (this.left.get(domain.domain)?.removedAt === domain.removedAt) this.left.delete(domain.domain);
  }

  list(entry: RegisteredDomain): this {
    this.entries.set(entry.domain, entry);
    return this;
  }

  unlist(domain: string): this {
    this.missing.add(domain);
    return this;
  }

  async lookup(domain: string): Promise<(RegisteredDomain & { removedAt?: string }) | undefined> {
    this.asked.push(domain);
    if (this.missing.has(domain)) return undefined;
    return this.entries.get(domain) ?? { domain, type: 'Federal - Executive', organization: `Agency of ${domain}` };
  }
}
