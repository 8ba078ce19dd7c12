import { describe, expect, it } from 'vitest';
import { tripBreaker } from '../../functions/use-cases/trip-breaker';
import { InMemoryBreaker, ManualClock, RecordingLog, RecordingMetrics } from '../support/fakes';

const alarm = (state: string, name = 'SandboxGatekeeper-SesBounceRate') =>
  JSON.stringify({ AlarmName: name, NewStateValue: state, OldStateValue: 'OK', NewStateReason: 'Threshold Crossed', Trigger: {} });

function setup() {
  const breaker = new InMemoryBreaker();
  const metrics = new RecordingMetrics();
  const deps = { breaker, clock: new ManualClock('2030-01-15T12:00:00.000Z'), log: new RecordingLog(), metrics };
  return { breaker, metrics, deps };
}

describe('tripBreaker (SES reputation alarms through SNS)', () => {
  it('opens the breaker when a reputation alarm enters ALARM, naming it', async () => {
    const { breaker, metrics, deps } = setup();

    await tripBreaker(alarm('ALARM'), deps);

    expect(await breaker.isOpen()).toBe(true);
    expect(breaker.reason).toBe('SandboxGatekeeper-SesBounceRate');
    expect(metrics.get('BreakerOpened')).toBe(1);
  });

  it('is idempotent: a duplicate delivery, or the other alarm, changes nothing and counts once', async () => {
    const { breaker, metrics, deps } = setup();

    await tripBreaker(alarm('ALARM'), deps);
    await tripBreaker(alarm('ALARM'), deps);
    await tripBreaker(alarm('ALARM', 'SandboxGatekeeper-SesComplaintRate'), deps);

    expect(breaker.reason).toBe('SandboxGatekeeper-SesBounceRate');
    expect(metrics.get('BreakerOpened')).toBe(1);
  });

  it.each([
    ['a return to OK (an operator closes the breaker)', alarm('OK')],
    ['INSUFFICIENT_DATA', alarm('INSUFFICIENT_DATA')],
    ['not JSON', 'Hello'],
    ['JSON that is no alarm', '{"Type":"Notification"}'],
    ['a JSON array', '[1,2]'],
    ['null', 'null'],
  ])('ignores %s', async (_label, message) => {
    const { breaker, deps } = setup();

    await expect(tripBreaker(message, deps)).resolves.toBeUndefined();

    expect(await breaker.isOpen()).toBe(false);
  });
});
