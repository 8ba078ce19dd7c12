import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The rehearsal's movable clock: the CLI's `Date` runs `REHEARSAL_CLOCK_OFFSET_MS` ahead of this machine's. */
const CLOCK = fileURLToPath(new URL('../../infra/rehearsal/shifted-clock.mjs', import.meta.url));

/**
 * `npm run admin -- …` as an operator runs it (no terminal: stdin is not a TTY); with
 * `clockOffsetMs`, on a machine whose clock is that far ahead.
 */
export function admin(
  args: string[],
  env: Record<string, string>,
  options: { clockOffsetMs?: number; started?: (pid: number) => void } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const clock = options.clockOffsetMs === undefined ? [] : ['--import', CLOCK];
  const shifted = options.clockOffsetMs === undefined ? {} : { REHEARSAL_CLOCK_OFFSET_MS: String(options.clockOffsetMs) };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...clock, 'admin/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...shifted, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) options.started?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
