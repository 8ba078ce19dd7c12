import type { Clock, Log, Metrics, ReputationBreaker } from '../core/ports';

export interface BreakerDeps {
  readonly breaker: ReputationBreaker;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

/** The parts of a CloudWatch alarm notification (delivered by SNS) that decide anything. */
interface AlarmNotification {
  readonly AlarmName?: unknown;
  readonly NewStateValue?: unknown;
}

/**
 * A reputation alarm (SES bounce or complaint rate) changed state. Steps:
 * 1. read the notification; anything that is not an alarm entering ALARM is logged and dropped
 *    (a return to OK closes nothing: an operator closes the breaker once the cause is known);
 * 2. open the breaker, idempotently: SNS delivers at least once, duplicates are normal.
 * A storage failure throws, so Lambda retries and, failing that, the dead-letter queue keeps it.
 */
export async function tripBreaker(message: string, deps: BreakerDeps): Promise<void> {
  let alarm: AlarmNotification;
  try {
    alarm = JSON.parse(message) as AlarmNotification;
  } catch {
    deps.log.warn('breaker: notification ignored, not JSON');
    return;
  }
  if (typeof alarm !== 'object' || alarm === null || alarm.NewStateValue !== 'ALARM' || typeof alarm.AlarmName !== 'string') {
    deps.log.info('breaker: notification ignored, not an alarm entering ALARM');
    return;
  }
  const opened = await deps.breaker.open(alarm.AlarmName, deps.clock.nowMs());
  if (opened) deps.metrics.count('BreakerOpened');
  deps.log.warn(opened ? 'breaker opened: anonymous mail is held' : 'breaker already open', { alarm: alarm.AlarmName });
}
