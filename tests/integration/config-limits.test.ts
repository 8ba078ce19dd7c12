import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm start` (tsx infra/local/start.ts) with `env`: its exit code and what it wrote. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatekeeper-config-'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        PORT: '0',
        DYNAMODB_PORT: '0',
        SES_PORT: '0',
        SIGN_IN_METHOD: 'code',
        REGISTRY_FILE: fileURLToPath(new URL('../../infra/harness/registry/current-full.csv', import.meta.url)),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A start that is not refused runs until stopped: stopped here, so the test fails instead of hanging.
    const stopper = setTimeout(() => child.kill('SIGTERM'), 15_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(stopper);
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start with configuration that cannot work', () => {
  it('a sweep interval beyond a timer’s range: refused at start, one line naming the variable, a non-zero exit', async () => {
    const started = await start({ SWEEP_INTERVAL_SECONDS: '2592000' });
    expect(started.code).toBe(1);
    expect(started.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^SWEEP_INTERVAL_SECONDS \(2592000\) is beyond a timer's range/),
    ]);
    expect(started.stdout).not.toContain('Press Ctrl-C');
  });

  it('an access period that overflows a date: refused at start, one line naming the variable', async () => {
    const started = await start({ CONTRACTOR_ACCESS_DAYS: '100000000' });
    expect(started.code).toBe(1);
    expect(started.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^CONTRACTOR_ACCESS_DAYS \(100000000\) is too long/)]);
  });
});
