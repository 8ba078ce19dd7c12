import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every invocation's deadline ("Bounded time" in the README): the Lambda context's remaining
 * time, less a margin to answer, set by the primary adapter that took the invocation (HTTP, SNS,
 * the schedule) and read by whatever runs inside it: the AWS clients abort their calls at it
 * (wiring/aws-clients.ts), the sweep stops taking work before it.
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
