import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, startDynamoDb, startSes } from '../../local/emulators';

/**
 * The emulators `npm start` runs each answer on a worker thread of their own (not on the event loop
 * of the HTTP server and the handlers), and still behave like the in-process servers they were:
 * port 0 is a free port, startup errors reject, close() frees the port and DATA_DIR.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const host = '127.0.0.1';
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatekeeper-emulators-'));
  dirs.push(dir);
  return dir;
}

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

function occupy(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, host, () => resolve(server));
  });
}

function release(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('each emulator on its own thread', () => {
  let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;
  let ses: Awaited<ReturnType<typeof startSes>>;

  beforeAll(async () => {
    [dynamodb, ses] = await Promise.all([startDynamoDb({ host, port: 0, dataDir: dataDir() }), startSes({ host, port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([dynamodb.close(), ses.close()]);
  });

  it('reports the free port it took for port 0', () => {
    expect(dynamodb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ses.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(dynamodb.endpoint)).toBeGreaterThan(0);
    expect(portOf(ses.endpoint)).toBeGreaterThan(0);
  });

  it('answers while this thread is blocked (in-process, the request would wait for it)', () => {
    // execFileSync blocks this event loop until the child is done.
    const script = `
      const list = await fetch(process.argv[1], { method: 'POST', body: '{}', headers: {
        'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0', 'x-amz-date': '20240101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
      } });
      const health = await fetch(process.argv[2] + '/health-check');
      console.log(JSON.stringify([list.status, await list.json(), health.status]));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, dynamodb.endpoint, ses.endpoint], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(JSON.parse(output)).toEqual([200, { TableNames: [] }, 200]);
  });
});

describe('startup errors reject, with the reason', () => {
  it('a port in use', async () => {
    const taken = await occupy();
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startDynamoDb({ host, port, dataDir: dataDir() })).rejects.toThrow(
        /^The DynamoDB emulator could not start: listen EADDRINUSE.*127\.0\.0\.1:\d+ \(another program listens there: choose another port, or 0 for a free one\)$/,
      );
      await expect(startSes({ host, port })).rejects.toThrow(/^The SES emulator could not start: listen EADDRINUSE.*127\.0\.0\.1:\d+ \(/);
      await expect(startSes({ host, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await release(taken);
    }
  });

  it('a DATA_DIR another DynamoDB emulator holds (LevelDB allows one)', async () => {
    const dir = dataDir();
    const holder = await startDynamoDb({ host, port: 0, dataDir: dir });
    try {
      await expect(startDynamoDb({ host, port: 0, dataDir: dir })).rejects.toThrow(
        `The DynamoDB emulator could not start: ${join(dir, 'dynamodb')} is already open elsewhere`,
      );
    } finally {
      await holder.close();
    }
  });
});

describe('close()', () => {
  it('frees the port and DATA_DIR: both can be taken again, and the data is there', async () => {
    const dir = dataDir();
    const first = await startDynamoDb({ host, port: 0, dataDir: dir });
    const mail = await startSes({ host, port: 0 });
    expect(await ensureTable(first.endpoint, 'emulators-test')).toBe('created');
    await Promise.all([first.close(), mail.close(), first.close()]);
    await first.close();

    const again = await startDynamoDb({ host, port: portOf(first.endpoint), dataDir: dir });
    const mailAgain = await startSes({ host, port: portOf(mail.endpoint) });
    try {
      expect(again.endpoint).toBe(first.endpoint);
      expect(mailAgain.endpoint).toBe(mail.endpoint);
      expect(await ensureTable(again.endpoint, 'emulators-test')).toBe('existing');
    } finally {
      await Promise.all([again.close(), mailAgain.close()]);
    }
    await expect(fetch(`${mail.endpoint}/health-check`)).rejects.toThrow();
  });
});

describe('a SIGKILL', () => {
  it('takes the emulator with the process: DATA_DIR can be opened again at once', async () => {
    const dir = dataDir();
    const script = `const { startDynamoDb } = await import('./local/emulators.ts');
      const emulator = await startDynamoDb({ host: '127.0.0.1', port: 0, dataDir: process.argv[1] });
      console.log(emulator.endpoint);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (text: string) => resolve(text.trim()));
      child.once('exit', (code) => reject(new Error(`the child ended (${code}) before it listened`)));
    });
    expect(await ensureTable(endpoint, 'killed')).toBe('created');
    child.kill('SIGKILL');
    await exited;

    await expect(fetch(endpoint)).rejects.toThrow();
    const reopened = await startDynamoDb({ host, port: 0, dataDir: dir });
    try {
      expect(await ensureTable(reopened.endpoint, 'killed')).toBe('existing');
    } finally {
      await reopened.close();
    }
  });
});
