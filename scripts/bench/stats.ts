/** Percentile of a sample (nearest rank); the sample need not be sorted. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Milliseconds a call takes. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Runs `run` from `workers` loops at once for `ms`; returns completed iterations per second. */
export async function throughput(workers: number, ms: number, run: (n: number) => Promise<unknown>): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        await run(next++);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
