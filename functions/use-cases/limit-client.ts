import { RateLimitedError } from '../core/errors';
import { limitKey } from '../core/limit-key';
import type { Clock, Log, Metrics, RateLimiter } from '../core/ports';

export interface ClientLimitDeps {
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

/**
 * At most `perHour` anonymous POSTs per client address per hour, counted before the body is
 * read. The address is stored hashed: the counter needs identity, not the address itself.
 */
export async function limitClient(clientIp: string, perHour: number, deps: ClientLimitDeps): Promise<void> {
  const key = limitKey('ip', clientIp);
  const decision = await deps.limiter.hit(key, perHour, 3600, deps.clock.nowMs());
  if (!decision.allowed) {
    deps.log.warn('security: client rate limit reached', { client: key });
    deps.metrics.count('RateLimitHits', { limit: 'client' });
    throw new RateLimitedError(
      `Too many requests from your network. Try again in ${Math.ceil(decision.retryAfterSeconds / 60)} minutes.`,
      decision.retryAfterSeconds,
    );
  }
}
