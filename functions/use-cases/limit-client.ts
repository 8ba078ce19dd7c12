import { clientGroup } from '../core/client-address';
import { RateLimitedError } from '../core/errors';
import { limitKey } from '../core/limit-key';
import type { Clock, Log, Metrics, RateLimiter } from '../core/ports';

export interface LimitDeps {
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

/** A fixed-window limit on one counted party: a client address, a sponsor's mailbox. */
export interface Limit {
  /** What is counted; also the `limit` dimension of RateLimitHits. */
  readonly kind: 'client' | 'token' | 'sponsor';
  /** Whom: stored only hashed, since the counter needs identity, not the address itself. */
  readonly of: string;
  readonly max: number;
  readonly windowSeconds: number;
  /** What the person is told, given when to try again. */
  readonly message: (retryAfterSeconds: number) => string;
}

/** What a counted hit can be undone with, when the request it paid for could not be served. */
export interface Charge {
  refund(): Promise<void>;
}

/** Counts one more against the limit; past it: a security log line, RateLimitHits, a 429. */
export async function enforceLimit(limit: Limit, deps: LimitDeps): Promise<Charge> {
  const key = limitKey(limit.kind === 'client' ? 'ip' : limit.kind, limit.of);
  const nowMs = deps.clock.nowMs();
  const decision = await deps.limiter.hit(key, limit.max, limit.windowSeconds, nowMs);
  if (decision.allowed) return { refund: () => deps.limiter.refund(key, limit.windowSeconds, nowMs) };
  deps.log.warn('security: rate limit reached', { limit: limit.kind, key });
  deps.metrics.count('RateLimitHits', { limit: limit.kind });
  throw new RateLimitedError(limit.message(decision.retryAfterSeconds), decision.retryAfterSeconds);
}

/**
 * At most `perHour` POSTs per client per hour, counted before the body is read: anonymous
 * requests (`client`) and token POSTs (`token`) each have their own budget. An IPv6 client is
 * counted by its /64.
 */
export function limitClient(clientIp: string, perHour: number, deps: LimitDeps, kind: 'client' | 'token' = 'client'): Promise<Charge> {
  return enforceLimit(
    {
      kind,
      of: clientGroup(clientIp),
      max: perHour,
      windowSeconds: 3600,
      message: (retryAfter) => `Too many requests from your network. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    },
    deps,
  );
}

/**
 * `work` awaited beside the client's counter, which is already under way: whatever `work` came
 * to (an answer, a refusal of the request as written), the counter's refusal is the answer. A
 * use case handed the counter awaits it beside its reads, before it charges or writes anything,
 * so a limited client is refused before any other work is charged.
 */
export async function besideCounter<T>(counted: Promise<unknown> | undefined, work: Promise<T>): Promise<T> {
  const [count, done] = await Promise.allSettled([counted, work]);
  if (count.status === 'rejected') throw count.reason;
  if (done.status === 'rejected') throw done.reason;
  return done.value;
}
