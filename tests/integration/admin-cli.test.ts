import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS_WITH_EXAMPLES } from '../../admin/help';
import { admin } from '../support/admin-cli';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { emailedToken, requestAccess } from '../support/mail-links';
import { neverAnswers } from '../support/silent-server';
import { decideAs, signInByCode } from '../support/sponsor-session';

const NINETY_DAYS = 90 * 86_400;

/** The operator's CLI as a tool: its line, its help, its prompts, its files and its clock. */
let service: LocalService;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  service = await LocalService.start({ CONTRACTOR_ACCESS_SECONDS: String(NINETY_DAYS) });
  env = {
    DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
    SES_ENDPOINT: service.mailboxUrl,
    DATA_DIR: service.dataDir,
    PORT: new URL(service.baseUrl).port,
  };
  await service.postJson('/signup', { email: 'kim@agency.gov' });
  await service.postJson('/verify', { token: await emailedToken(service, 'kim@agency.gov', '/verify') });
  dir = mkdtempSync(join(tmpdir(), 'admin-out-'));
});
afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run admin: the command line', () => {
  it('takes the global options anywhere on the line: list --format json, revoke X --yes', async () => {
    const after = await admin(['list', '--format', 'json'], env);
    const before = await admin(['--format', 'json', 'list'], env);
    expect([after.code, after.stderr]).toEqual([0, expect.not.stringContaining('unknown option')]);
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
    const revoked = await admin(['revoke', 'kim@agency.gov', '--reason', 'Left', '--yes', '--as', 'alice', '--format', 'json'], env);
    expect([revoked.code, revoked.stdout]).toEqual([0, '{"status":"revoked"}\n']);
    const back = await admin(['reinstate', 'kim@agency.gov', '--yes', '--reason', 'Back'], env);
    expect([back.code, back.stdout]).toEqual([0, 'kim@agency.gov: active\n']);
  });

  it('prints its version', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(await admin(['--version'], env)).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('gives --format one meaning per command: export takes jsonl or csv, show table or json, list refuses jsonl', async () => {
    const exported = await admin(['export', '--format', 'csv'], env);
    expect([exported.code, exported.stdout.split('\n')[0]]).toEqual([
      0,
      'email,kind,status,createdAt,accessExpiresAt,sponsor,agency,history',
    ]);
    expect((await admin(['--format', 'csv', 'export'], env)).stdout).toBe(exported.stdout);
    const json = await admin(['export', '--format', 'json'], env);
    expect([json.code, json.stderr]).toEqual([2, expect.stringContaining('export --format is jsonl or csv, not json')]);
    expect((await admin(['list', '--format', 'jsonl'], env)).code).toBe(2);
    expect((await admin(['show', 'kim@agency.gov', '--format', 'csv'], env)).code).toBe(2);
    expect((await admin(['list', '--format', 'yaml'], env)).stderr).toContain('Allowed choices are');
  });

  it('shows --reason as required, and an example in the help of every command', async () => {
    const help = await admin(['revoke', '--help'], env);
    expect(help.stdout).toMatch(/Usage: admin revoke <email> --reason <reason> \[options\]/);
    expect(help.stdout).toContain('(required)');
    const missing = await admin(['--yes', 'revoke', 'kim@agency.gov'], env);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("required option '--reason <reason>' not specified")]);
    for (const command of COMMANDS_WITH_EXAMPLES) {
      const shown = await admin([...(command === 'admin' ? [] : command.split(' ')), '--help'], env);
      expect(shown.stdout, command).toMatch(/Examples:\n {2}\$ npm run admin -- /);
    }
  });

  it('says, before a change, who is emailed and what the sandbox is told', async () => {
    const revoke = await admin(['revoke', 'kim@agency.gov', '--reason', 'x'], env);
    expect([revoke.code, revoke.stderr]).toEqual([
      2,
      expect.stringContaining(
        'Revoke kim@agency.gov? kim@agency.gov is emailed, with the reason; the sandbox is not told (no webhook is configured; it would be access.revoked). Refused: not a terminal and no --yes.',
      ),
    ]);
    await service.postJson('/signup', { email: 'pending@agency.gov' });
    expect((await admin(['resend', 'pending@agency.gov'], env)).stderr).toContain(
      'Send pending@agency.gov a fresh verification link? Only pending@agency.gov is emailed; the sandbox is told nothing.',
    );
  });
});

describe('npm run admin renew', () => {
  it('without --seconds grants the period the service is configured with (its settings, from the DATA_DIR it holds, as the sweep’s webhook secret)', async () => {
    await service.postJson('/verify', { token: await requestAccess(service, service, 'casey@acme-corp.com', 'pat@agency.gov') });
    const review = await emailedToken(service, 'pat@agency.gov', '/sponsorships/review');
    const sponsor = await signInByCode(service, 'pat@agency.gov');
    await decideAs(service, sponsor, { token: review, decision: 'approve' });
    // A running npm start found by its port, its settings by its DATA_DIR: not another folder's, nor the defaults.
    const byPort = {
      DYNAMODB_PORT: new URL(service.dynamodbEndpoint).port,
      SES_ENDPOINT: service.mailboxUrl,
      DATA_DIR: service.dataDir,
      PORT: new URL(service.baseUrl).port,
    };
    for (const args of [['--yes', 'renew', 'casey@acme-corp.com'], ['sweep']]) {
      const foreign = await admin(args, { ...byPort, DATA_DIR: dir });
      expect([foreign.code, foreign.stderr]).toEqual([1, expect.stringContaining(`no running npm start holds ${dir} with it`)]);
    }
    const shown = await admin(['--format', 'json', 'show', 'casey@acme-corp.com'], env);
    const before = (JSON.parse(shown.stdout) as { accessExpiresAt: string }).accessExpiresAt;
    const renewed = await admin(['--yes', '--format', 'json', 'renew', 'casey@acme-corp.com'], byPort);
    expect(renewed.code).toBe(0);
    const { accessExpiresAt } = JSON.parse(renewed.stdout) as { accessExpiresAt: string };
    expect((Date.parse(accessExpiresAt) - Date.parse(before)) / 1000, 'one configured period past the current end').toBe(NINETY_DAYS);
  }, 60_000);
});

describe('npm run admin export --out', () => {
  it('creates a new file readable by its owner only; refuses an existing file or a link without --force', async () => {
    const out = join(dir, 'accounts.jsonl');
    expect((await admin(['export', '--out', out], env)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const first = readFileSync(out, 'utf8');
    expect(first).toContain('"email":"kim@agency.gov"');

    writeFileSync(out, 'kept');
    const again = await admin(['export', '--out', out], env);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('exists: choose a new name, or add --force')]);
    expect(readFileSync(out, 'utf8')).toBe('kept');

    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'not yours to overwrite');
    const link = join(dir, 'link.jsonl');
    symlinkSync(target, link);
    expect((await admin(['export', '--out', link], env)).code).toBe(1);
    expect(readFileSync(target, 'utf8')).toBe('not yours to overwrite');

    expect((await admin(['export', '--out', link, '--force'], env)).code).toBe(0);
    expect([lstatSync(link).isSymbolicLink(), readFileSync(target, 'utf8')]).toEqual([false, 'not yours to overwrite']);
    expect(statSync(link).mode & 0o777).toBe(0o600);
    expect((await admin(['export', '--out', out, '--force'], env)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('leaves nothing under the final name when the export fails or is interrupted', async () => {
    const silent = await neverAnswers();
    try {
      const dead = { ...env, DYNAMODB_ENDPOINT: silent.endpoint };
      const failed = join(dir, 'failed.jsonl');
      const result = await admin(['export', '--out', failed], dead);
      expect(result.code).toBe(1);
      expect(existsSync(failed)).toBe(false);

      const interrupted = join(dir, 'interrupted.jsonl');
      const running = admin(['export', '--out', interrupted], dead, {
        started: (pid) => {
          void eventually(
            async () => readdirSync(dir).some((name) => name.startsWith('.interrupted.jsonl.')),
            (begun) => begun,
            10_000,
          ).then(() => process.kill(pid, 'SIGTERM'));
        },
      });
      expect((await running).code).toBe(143);
      expect(readdirSync(dir).filter((name) => name.includes('interrupted'))).toEqual([]);
    } finally {
      await silent.close();
    }
  }, 30_000);
});

describe('npm run admin against a DynamoDB that never answers', () => {
  it('list, revoke and sweep stop within seconds with a clear message (the functions’ timeouts)', async () => {
    const silent = await neverAnswers();
    try {
      const dead = { ...env, DYNAMODB_ENDPOINT: silent.endpoint };
      for (const args of [['list'], ['--yes', 'revoke', 'kim@agency.gov', '--reason', 'x'], ['sweep']]) {
        const started = Date.now();
        const result = await admin(args, dead);
        expect([args[0], result.code, result.stderr]).toEqual([args[0], 1, expect.stringContaining('briefly unavailable')]);
        expect(Date.now() - started, args.join(' ')).toBeLessThan(15_000);
      }
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('npm run admin on a clock that disagrees with DynamoDB’s', () => {
  it('refuses the sweep and every change when this machine is 3 h fast, and changes nothing', async () => {
    const threeHours = 3 * 3_600_000;
    const before = await admin(['--format', 'json', 'show', 'casey@acme-corp.com'], env);
    for (const args of [['sweep'], ['--yes', 'renew', 'casey@acme-corp.com']]) {
      const fast = await admin(args, env, { clockOffsetMs: threeHours });
      expect([fast.code, fast.stderr]).toEqual([1, expect.stringContaining('This machine’s clock is 180 minutes ahead of DynamoDB’s')]);
    }
    expect((await admin(['--format', 'json', 'show', 'casey@acme-corp.com'], env)).stdout).toBe(before.stdout);
    expect((await admin(['sweep'], env, { clockOffsetMs: 20_000 })).code, 'seconds off is fine').toBe(0);
  }, 60_000);
});
