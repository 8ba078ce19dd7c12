import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK = fileURLToPath(new URL('./shifted-clock.mjs', import.meta.url));

export interface OperatorRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The operator's CLI (`admin/cli.ts --stack <name>`) in a process of its own, as an operator runs
 * it against the deployed stack: `env` holds its AWS credentials and endpoints, and the
 * rehearsal's clock is loaded before any of the service's code.
 */
export function runOperatorCli(
  args: readonly string[],
  options: { stackName: string; clockOffsetMs: number; env: Record<string, string> },
): Promise<OperatorRun> {
  const argv = ['--import', 'tsx', '--import', CLOCK, join(root, 'admin/cli.ts'), '--stack', options.stackName, ...args];
  const env = { ...options.env, REHEARSAL_CLOCK_OFFSET_MS: String(options.clockOffsetMs) };
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { env, cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
