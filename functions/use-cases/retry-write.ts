/**
 * Tries of one conditional write when another write wins the race. Every writer of an account or
 * a sponsor record uses this one bound: each try re-reads and decides again, so of N concurrent
 * identical clicks exactly one changes anything and the others see its result.
 */
export const WRITE_ATTEMPTS = 3;

/**
 * Runs `attempt` until it settles (returns anything but `undefined`: its write landed, or it
 * decided there is nothing to write), at most `WRITE_ATTEMPTS` times. `undefined`: every try lost.
 */
export async function untilSettled<T>(attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let tried = 0; tried < WRITE_ATTEMPTS; tried++) {
    const settled = await attempt();
    if (settled !== undefined) return settled;
  }
  return undefined;
}
