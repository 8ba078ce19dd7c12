import { describe, expect, it } from 'vitest';
import { RELAXED_LIMITS } from '../../scripts/bench/service-figures';
import { measureTold } from '../../scripts/bench/told-latency';

describe('the bench’s sandbox-told latency', () => {
  it('times each change from its answer to the receiver’s acknowledgement of its event, within a sweep interval when events go with the sweep', async () => {
    const told = await measureTold(4, { ...RELAXED_LIMITS, SWEEP_INTERVAL_SECONDS: '2' });
    expect(told.sweepSeconds).toBe(2);
    expect(told.changes).toBe(4);
    expect(told.p50Ms).toBeGreaterThan(0);
    expect(told.p50Ms).toBeLessThanOrEqual(told.p99Ms);
    // Each event waits at most for the next sweep (plus its run); never longer, never before its change.
    expect(told.maxMs).toBeLessThan(2000 + 1500);
  }, 60_000);
});
