/**
 * A retry strategy for SES sends that never sends twice: it retries only what cannot have
 * reached SES as a message — throttling, and a connection that was never made. A lost answer
 * after SES took the message is not resent here: the outbox owns that retry (docs/design.md §7).
 */
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The HTTP handler's connection timeout: no connection, so no request went out. It has no code of
 * its own, only this wording (@smithy/node-http-handler 4.x); a busy machine that delays the
 * connection past the timeout makes it too, and an email then waited for the sweep.
 */
const NO_CONNECTION = /did not establish a connection/;

type Failure = { name?: string; message?: string; code?: string; cause?: { code?: string } } | undefined;

function neverSent(error: Failure): boolean {
  if (NEVER_SENT.has(error?.code ?? error?.cause?.code ?? '')) return true;
  return error?.name === 'TimeoutError' && NO_CONNECTION.test(error.message ?? '');
}

export function retriesThatCannotDuplicate(maxAttempts: number, baseDelayMs = 100): RetryStrategyV2 {
  const token = (count: number, delay: number): StandardRetryToken =>
    ({ getRetryCount: () => count, getRetryDelay: () => delay, getRetryTokenCount: () => 0 }) as unknown as StandardRetryToken;
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    refreshRetryTokenForRetry: async (previous, info: RetryErrorInfo) => {
      const count = previous.getRetryCount() + 1;
      if (count >= maxAttempts || !(info.errorType === 'THROTTLING' || neverSent(info.error as Failure))) {
        throw new Error('not retried');
      }
      // Exponential backoff with full jitter.
      return token(count, Math.floor(Math.random() * baseDelayMs * 2 ** count));
    },
    recordSuccess: () => undefined,
  };
}
