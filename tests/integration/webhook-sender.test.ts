import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandardWebhookSender } from '../../functions/adapters/standard-webhook-sender';
import { accessEvent } from '../../functions/core/outbox';
import { isWebhookSecret, newWebhookSecret } from '../../functions/core/webhook-secret';
import { ConfigError } from '../../functions/service/config';

const SECRET = `whsec_${Buffer.from('a-test-key-of-thirty-two-bytes!!').toString('base64')}`;
const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const EVENT = accessEvent(
  'access.granted',
  { email: 'jane@agency.gov', kind: 'agency', status: 'active', createdAt: '', updatedAt: '', history: [], version: 1 },
  'self',
  NOW,
);

let server: Server;
let base = '';
let seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/ok') res.writeHead(200).end();
      else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 2000);
      else res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sender = (path: string, timeoutMs?: number) =>
  new StandardWebhookSender(`${base}${path}`, async () => SECRET, { nowMs: () => NOW }, timeoutMs);

describe('StandardWebhookSender against a real HTTP server', () => {
  it('signs per Standard Webhooks: the reference implementation verifies id, timestamp and body', async () => {
    seen = [];
    expect(await sender('/ok').send('msg_1', EVENT)).toEqual({ outcome: 'delivered' });
    const [request] = seen;
    expect([request!.headers['webhook-id'], request!.headers['webhook-timestamp'], request!.headers['content-type']]).toEqual([
      'msg_1',
      String(NOW / 1000),
      'application/json',
    ]);
    // verify() refuses stale timestamps; the signed time is the test's fixed NOW, so check the signature against it.
    const expected = new Webhook(SECRET).sign('msg_1', new Date(NOW), request!.body);
    expect(request!.headers['webhook-signature']).toBe(expected);
    expect(JSON.parse(request!.body)).toEqual(EVENT);
  });

  it('counts anything but 2xx as a failure to retry, and follows no redirect', async () => {
    seen = [];
    expect(await sender('/fail').send('msg_2', EVENT)).toEqual({ outcome: 'transient', error: 'HTTP 500' });
    expect(await sender('/moved').send('msg_3', EVENT)).toEqual({ outcome: 'transient', error: 'HTTP 302' });
    expect(seen.map((request) => request.url)).toEqual(['/fail', '/moved']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await sender('/slow', 200).send('msg_4', EVENT)).toEqual({
      outcome: 'transient',
      error: 'TimeoutError: The operation was aborted due to timeout',
    });
  });

  it('records what went wrong: the error’s name, its message and the connection’s code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = new StandardWebhookSender(`http://127.0.0.1:${port}/hooks`, async () => SECRET, { nowMs: () => NOW });
    expect(await refused.send('msg_5', EVENT)).toEqual({ outcome: 'transient', error: 'TypeError: fetch failed (ECONNREFUSED)' });

    // A stored secret that is not whsec_: the reader's refusal, naming the variable, not the value.
    const unreadable = new StandardWebhookSender(
      `${base}/ok`,
      async () => {
        throw new ConfigError('WEBHOOK_SECRET_ARN', 'WEBHOOK_SECRET_ARN: the secret’s value must be "whsec_" …');
      },
      { nowMs: () => NOW },
    );
    expect(await unreadable.send('msg_6', EVENT)).toEqual({
      outcome: 'transient',
      error: 'ConfigError: WEBHOOK_SECRET_ARN: the secret’s value must be "whsec_" …',
    });
  });

  it('signs with a secret in exactly the format the stack’s custom step makes, and the reference implementation verifies it', async () => {
    const secret = newWebhookSecret();
    seen = [];
    const now = new StandardWebhookSender(`${base}/ok`, async () => secret, { nowMs: () => Date.now() });
    expect(await now.send('msg_7', EVENT)).toEqual({ outcome: 'delivered' });
    const [request] = seen;
    // verify() checks the signature and that the timestamp is recent.
    expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toEqual(EVENT);
    expect(() => new Webhook(newWebhookSecret()).verify(request!.body, request!.headers as Record<string, string>)).toThrow();
  });

  it('accepts only whsec_ secrets of at least 24 bytes', () => {
    expect([isWebhookSecret(SECRET), isWebhookSecret('whsec_c2hvcnQ='), isWebhookSecret('not-a-secret')]).toEqual([true, false, false]);
  });
});
