import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import type { SweepReport } from '../../functions/use-cases/sweep';
import { eventHandlers } from '../function-specs';
import { lambdaContext } from './lambda-context';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Sweeper {
  stop(): Promise<void>;
}

/** The context Lambda passes the scheduled sweep: the deadline its configured timeout sets. */
export function sweepContext(timeoutMs = eventHandlers.sweep.timeoutSeconds * 1000): Context {
  return lambdaContext('sweep', randomUUID(), timeoutMs);
}

/**
 * Runs the sweep function (the module the schedule runs in AWS) every `intervalSeconds`, never
 * two at once, each run under the function's own deadline; a failed run is reported and the next
 * one tries again, as in AWS. A run that leaves a backlog is followed at once by the next.
 */
export async function startSweeper(intervalSeconds: number): Promise<Sweeper> {
  const { handler } = (await import(`${root}${eventHandlers.sweep.entry}`)) as {
    handler: (event: unknown, context: Context) => Promise<SweepReport>;
  };
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweepOnce = async (): Promise<void> => {
    try {
      const report = await handler({}, sweepContext());
      if (report.backlog > 0 && !stopped) return sweepOnce();
    } catch (error) {
      console.error('sweep failed:', error instanceof Error ? error.message : error);
    }
  };
  const run = () => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(run, intervalSeconds * 1000);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
