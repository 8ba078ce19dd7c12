import type { Context } from 'aws-lambda';
import { startInvocation } from '../adapters/invocation';
import { timeLeftMs, withDeadline } from '../service/deadline';
import { type SweepReport, sweep } from '../use-cases/sweep';
import { sweepDeps } from '../wiring/sweep-deps';

/** The lifecycle sweep, run by a schedule (EventBridge in AWS, a timer under `npm start`). A failure throws: the schedule's retries and the error alarm take it. */
export async function handler(_event?: unknown, context?: Context): Promise<SweepReport> {
  const done = startInvocation(context);
  try {
    return await withDeadline(context, () => sweep({ ...sweepDeps, timeLeftMs }));
  } finally {
    done();
  }
}
