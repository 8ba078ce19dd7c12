import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadRegistry, REGISTRY_MAX_BYTES } from '../../functions/adapters/registry-download';
import { type LoopbackServer, loopbackServer } from '../../infra/rehearsal/loopback-server';

const CSV = 'Domain name,Domain type,Organization name\ngsa.gov,Federal - Executive,General Services Administration\n';

describe('the registry download: REGISTRY_URL and its host only', () => {
  let registry: LoopbackServer;
  let elsewhere: LoopbackServer;
  const fetched: string[] = [];
  beforeAll(async () => {
    elsewhere = await loopbackServer((req, _body, res) => {
      fetched.push(`elsewhere ${req.url}`);
      res.writeHead(200).end(CSV);
    });
    registry = await loopbackServer((req, _body, res) => {
      fetched.push(`registry ${req.url}`);
      if (req.url === '/current-full.csv') return void res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
      if (req.url === '/moved.csv') return void res.writeHead(302, { location: '/current-full.csv' }).end();
      if (req.url === '/away.csv') return void res.writeHead(302, { location: `${elsewhere.origin}/current-full.csv` }).end();
      if (req.url === '/huge.csv') {
        // No length declared: the cap is enforced on what arrives.
        res.writeHead(200, { 'content-type': 'text/csv' });
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        for (let sent = 0; sent <= REGISTRY_MAX_BYTES; sent += chunk.length) res.write(chunk);
        return void res.end();
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await Promise.all([registry.close(), elsewhere.close()]);
  });

  it('fetches the file, and follows a redirect on the same host', async () => {
    expect((await downloadRegistry(`${registry.origin}/current-full.csv`)).csv).toBe(CSV);
    expect((await downloadRegistry(`${registry.origin}/moved.csv`)).csv).toBe(CSV);
  });

  it('refuses a redirect to another host without fetching it, a missing file, and a file past the cap', async () => {
    fetched.length = 0;
    await expect(downloadRegistry(`${registry.origin}/away.csv`)).rejects.toThrow(/redirected to .*: only 127\.0\.0\.1:\d+ is fetched/);
    expect(fetched).toEqual(['registry /away.csv']);
    await expect(downloadRegistry(`${registry.origin}/gone.csv`)).rejects.toThrow('REGISTRY_URL answered 404');
    await expect(downloadRegistry(`${registry.origin}/huge.csv`)).rejects.toThrow(/more than \d+ bytes/);
  });
});
