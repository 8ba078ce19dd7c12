import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every invocation's deadline (DESIGN §7 "Bounded time"): the Lambda context's remaining time,
 * less a margin to answer. Every AWS call made while it runs carries an abort signal that fires
 * at the deadline, so retries never outlive the function and a hung dependency cannot hold it.
 */
const deadlines = new AsyncLocalStorage<number>();

/** Kept back to send the answer (a 503 when a dependency ran the clock out). */
export const ANSWER_MARGIN_MS = 500;

export function withDeadline<T>(context: { getRemainingTimeInMillis(): number } | undefined, run: () => Promise<T>): Promise<T> {
  if (!context) return run();
  return deadlines.run(Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS, run);
}

/** Milliseconds left before the current invocation's deadline; none outside one. */
export function timeLeftMs(): number | undefined {
  const deadline = deadlines.getStore();
  return deadline === undefined ? undefined : deadline - Date.now();
}

/** The options an AWS call is sent with under the current deadline. */
export function deadlineOptions(): { abortSignal?: AbortSignal } {
  const left = timeLeftMs();
  return left === undefined ? {} : { abortSignal: AbortSignal.timeout(Math.max(1, left)) };
}
