/**
 * A retry strategy for SES sends that never sends twice: it retries only what cannot have
 * reached SES as a message — throttling, and a connection that was never made. A lost answer
 * after SES took the message is not resent here: the outbox owns that retry (DESIGN §7).
 */
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function retriesThatCannotDuplicate(maxAttempts: number, baseDelayMs = 100): RetryStrategyV2 {
  const token = (count: number, delay: number): StandardRetryToken =>
    ({ getRetryCount: () => count, getRetryDelay: () => delay, getRetryTokenCount: () => 0 }) as unknown as StandardRetryToken;
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info: RetryErrorInfo) => {
      const count = previous.getRetryCount() + 1;
      const failure = info.error as { code?: string; cause?: { code?: string } } | undefined;
      const code = failure?.code ?? failure?.cause?.code ?? '';
      if (count >= maxAttempts || !(info.errorType === 'THROTTLING' || NEVER_SENT.has(code))) {
        throw new Error('not retried');
      }
      // Exponential backoff with full jitter.
      return token(count, Math.floor(Math.random() * baseDelayMs * 2 ** count));
    },
    recordSuccess: () => undefined,
  };
}
