import { describe, expect, it } from 'vitest';
import { RELAXED_LIMITS } from '../../scripts/bench/service-figures';
import { measureTold } from '../../scripts/bench/told-latency';

describe('the bench’s sandbox-told latency', () => {
  it('times each change from its answer to the receiver’s acknowledgement of its event: each event goes with its change, before the answer', async () => {
    // A sweep an hour away: nothing measured here can be the sweep's doing.
    const told = await measureTold(4, { ...RELAXED_LIMITS, SWEEP_INTERVAL_SECONDS: '3600' }, 1);
    expect([told.sweepSeconds, told.changes, told.beforeAnswer]).toEqual([3600, 4, 4]);
    expect([told.p50Ms, told.p99Ms, told.maxMs]).toEqual([0, 0, 0]);
    expect(told.fromClickP99Ms).toBeGreaterThan(0);
  }, 60_000);
});
