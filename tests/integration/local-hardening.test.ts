import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../infra/local/server';
import { LocalService } from '../support/local-service';

/** Every entry under `dir` that others may read, write or enter. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if ((stat.mode & 0o077) !== 0) found.push(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

describe('npm start keeps DATA_DIR private', () => {
  it('creates the folder and every file in it (keys, database) readable by this user only', async () => {
    const service = await LocalService.start();
    try {
      await service.postJson('/signup', { email: 'private@agency.gov' });
      expect(openToOthers(service.dataDir)).toEqual([]);
    } finally {
      await service.dispose();
    }
  });

  it('tightens a DATA_DIR that an earlier version left readable by others, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatekeeper-loose-'));
    mkdirSync(join(dataDir, 'dynamodb'));
    writeFileSync(join(dataDir, 'notes.txt'), 'old');
    chmodSync(join(dataDir, 'notes.txt'), 0o644);
    chmodSync(join(dataDir, 'dynamodb'), 0o755);
    chmodSync(dataDir, 0o755);
    const service = new LocalService(dataDir);
    await service.boot();
    try {
      expect(openToOthers(dataDir)).toEqual([]);
      expect(service.output.some((line) => line.includes('was readable by others: 3 entries made private'))).toBe(true);
    } finally {
      await service.dispose();
    }
  });
});

describe('the local HTTP server and slow clients', () => {
  it('closes a connection whose request does not arrive in time', async () => {
    const server = await startHttpServer({ port: 0, limits: { requestTimeoutMs: 600, maxConnections: 16 } });
    try {
      const started = Date.now();
      const closed = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          // Headers promise a body that never comes.
          socket.write('POST /signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
        });
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk.toString();
        });
        socket.on('close', () => resolve(answer));
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  });
});

describe('request targets the local server cannot read', () => {
  /** One raw request line over a socket (fetch would normalise the target first); resolves with the status code. */
  function statusOf(port: number, requestLine: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`${requestLine}\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
      );
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
      socket.on('error', reject);
    });
  }

  it('answers 400 to unparsable targets, never 500, and reads //host/path as a path (not the route /path)', async () => {
    const service = await LocalService.start();
    try {
      const port = Number(new URL(service.baseUrl).port);
      const statuses = [];
      for (const target of ['//[', '//%', '//x:99999/', 'http://[', '*']) statuses.push(await statusOf(port, `GET ${target} HTTP/1.1`));
      expect(statuses).toEqual([404, 404, 404, 400, 400]);
      expect(await statusOf(port, 'POST //evil.example/signup HTTP/1.1')).toBe(404);
      expect(await statusOf(port, 'GET http://localhost/healthz HTTP/1.1')).toBe(200);
      expect(service.output.join('\n')).not.toContain('local server error');
    } finally {
      await service.dispose();
    }
  });
});
