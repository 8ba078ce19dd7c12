import { fileURLToPath } from 'node:url';
import type { SweepReport } from '../../functions/use-cases/sweep';
import { eventHandlers } from '../function-specs';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Sweeper {
  stop(): Promise<void>;
}

/**
 * Runs the sweep function (the module the schedule runs in AWS) every `intervalSeconds`, never
 * two at once; a failed run is reported and the next one tries again, as in AWS.
 */
export async function startSweeper(intervalSeconds: number): Promise<Sweeper> {
  const { handler } = (await import(`${root}${eventHandlers.sweep.entry}`)) as { handler: () => Promise<SweepReport> };
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= handler()
      .then(() => undefined)
      .catch((error: unknown) => console.error('sweep failed:', error instanceof Error ? error.message : error))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, intervalSeconds * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
