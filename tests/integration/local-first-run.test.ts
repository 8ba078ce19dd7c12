import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';
import { emailedToken } from '../support/mail-links';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `npm start`'s entry with `env`, to its end: its exit code and everything it printed. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SIGN_IN_METHOD: 'code', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('npm start with its HTTP port taken', () => {
  it('stops with one line naming PORT and how to choose another', async () => {
    const occupier = createServer();
    const port = await new Promise<number>((resolve) =>
      occupier.listen(0, '127.0.0.1', () => resolve((occupier.address() as { port: number }).port)),
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'gatekeeper-port-'));
    try {
      const { code, output } = await runStart({ DATA_DIR: dataDir, PORT: String(port), DYNAMODB_PORT: '0', SES_PORT: '0' });
      expect(code).not.toBe(0);
      const lines = output.trim().split('\n');
      expect(lines).toEqual([`PORT ${port} is already in use by another program: set PORT to another port (PORT=0 takes a free one).`]);
    } finally {
      occupier.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the laptop pages npm start serves besides the service', () => {
  let service: LocalService;
  beforeAll(async () => {
    service = await LocalService.start();
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('prints the mailbox page and the sandbox stand-in, and SANDBOX_URL points to it', async () => {
    const printed = service.output.join('\n');
    expect(printed).toMatch(/^ {2}Mailbox: {6}http:\/\/localhost:\d+\/_local\/mailbox /m);
    expect(printed).toMatch(/^ {2}Sandbox: {6}http:\/\/localhost:\d+\/_local\/sandbox$/m);
    const sandbox = await service.fetch('/_local/sandbox');
    expect(sandbox.status).toBe(200);
    expect(await sandbox.text()).toContain('This is where the sandbox would be');
  });

  it('shows every email with its links as links', async () => {
    await service.postJson('/signup', { email: 'mailbox.reader@agency.gov' });
    const token = await emailedToken(service, 'mailbox.reader@agency.gov', '/verify');
    const page = await fetch(service.mailboxPageUrl);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Confirm your email address for the sandbox');
    expect(body).toMatch(new RegExp(`<a href="http://localhost:\\d+/verify\\?token=${token.replace(/[.-]/g, '\\$&')}">`));
  });
});
