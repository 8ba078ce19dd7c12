import type { Work } from './service-flows';

/**
 * Public on-demand prices (us-east-1, read 2026-12): AWS Lambda pricing (arm64 $0.0000133334 per
 * GB-s, $0.20 per million requests), Amazon DynamoDB on-demand pricing ($0.625 per million write
 * request units, $0.125 per million read request units), Amazon SES pricing ($0.10 per 1,000
 * emails), Amazon API Gateway pricing (HTTP APIs, $1.00 per million requests).
 */
export const PRICES = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  email: 0.1 / 1000,
  apiRequest: 1 / 1e6,
};

/** The same prices as people read them. */
export const PRICE_TEXT =
  'Lambda arm64 $0.0000133334 per GB-s and $0.20 per million requests; DynamoDB on-demand $0.625 per million write and $0.125 per million read request units; SES $0.10 per 1,000 emails; API Gateway HTTP API $1.00 per million requests';

export interface Step {
  readonly name: string;
  /** Measured duration of the request, ms (through the local server: an upper bound of the function's own). */
  readonly ms: number;
  readonly work: Work;
  readonly emails: number;
  /**
   * The least wall time the function answers in (an anonymous answer's constant-time floor): Lambda
   * bills the wall time, so the step is billed at no less than this, whatever the bench measured
   * with the floor switched off.
   */
  readonly floorMs?: number;
}

/** The wall time Lambda bills for a step, ms. */
export const billedMs = (step: Step): number => Math.max(step.ms, step.floorMs ?? 0, 1);

/** Dollars per 10,000 sign-ups of an agency employee (each step once per sign-up) at `memoryMb`. */
export function costPer10k(steps: readonly Step[], memoryMb: number) {
  const n = 10_000;
  const gbSeconds = steps.reduce((sum, step) => sum + ((memoryMb / 1024) * billedMs(step)) / 1000, 0) * n;
  const readUnits = steps.reduce((sum, step) => sum + step.work.readUnits, 0) * n;
  const writeUnits = steps.reduce((sum, step) => sum + step.work.writeUnits, 0) * n;
  const emails = steps.reduce((sum, step) => sum + step.emails, 0) * n;
  const requests = steps.length * n;
  const lines = {
    'Lambda compute': gbSeconds * PRICES.lambdaGbSecond,
    'Lambda requests': requests * PRICES.lambdaRequest,
    'DynamoDB writes': writeUnits * PRICES.writeUnit,
    'DynamoDB reads': readUnits * PRICES.readUnit,
    'SES emails': emails * PRICES.email,
    'API Gateway requests': requests * PRICES.apiRequest,
  };
  return { gbSeconds, readUnits, writeUnits, emails, requests, lines, total: Object.values(lines).reduce((a, b) => a + b, 0) };
}
