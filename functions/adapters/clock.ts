import type { Clock } from '../core/ports';

/** The wall clock; tests pass their own. */
export const systemClock: Clock = { nowMs: () => Date.now() };
