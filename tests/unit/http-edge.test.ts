import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/core/errors';
import { EDGE_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../../functions/http/edge';
import { type Action, httpHandler, type RequestContext } from '../../functions/http/http-handler';
import { json } from '../../functions/http/respond';
import type { HttpResult } from '../../functions/http/types';
import { httpEvent, jsonEvent } from '../support/events';
import { RecordingLog } from '../support/fakes';

const SECRET = 'c2VjcmV0LXRoYXQtb25seS1jbG91ZGZyb250LWtub3dz';
const PEER = '130.176.0.10';

function healthWith(edgeSecret: string | undefined, read: () => Promise<string> = async () => edgeSecret!) {
  const seen: RequestContext[] = [];
  const log = new RecordingLog();
  const GET: Action = async (context) => {
    seen.push(context);
    return json(200, { status: 'ok' });
  };
  const handler = httpHandler('health', { GET }, { allowedOrigins: [], log, ...(edgeSecret ? { edgeSecret: read } : {}) });
  const call = async (headers: Record<string, string>) =>
    (await handler(httpEvent({ path: '/healthz', sourceIp: PEER, headers }), undefined)) as HttpResult & { statusCode: number };
  return { call, seen, log };
}

describe('behind the edge (EDGE_ORIGIN_SECRET_ARN set)', () => {
  it('answers a request that carries the secret, counting the viewer CloudFront reports as the client', async () => {
    const { call, seen } = healthWith(SECRET);
    const result = await call({ [EDGE_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: '198.51.100.23:50312' });
    expect(result.statusCode).toBe(200);
    expect(seen[0]?.clientIp).toBe('198.51.100.23');
  });

  it('reads an IPv6 viewer address, whose port follows the last colon', async () => {
    const { call, seen } = healthWith(SECRET);
    await call({ [EDGE_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: '2001:db8:85a3::8a2e:370:7334:443' });
    expect(seen[0]?.clientIp).toBe('2001:db8:85a3::8a2e:370:7334');
  });

  it.each([
    ['no secret', {}],
    ['a wrong secret', { [EDGE_SECRET_HEADER]: `${SECRET}x` }],
    ['an empty secret', { [EDGE_SECRET_HEADER]: '' }],
    ['a viewer address but no secret', { [VIEWER_ADDRESS_HEADER]: '198.51.100.23:50312' }],
  ])('refuses %s with 403, before any action runs, and logs it', async (_label, headers) => {
    const { call, seen, log } = healthWith(SECRET);
    const result = await call(headers);
    expect([result.statusCode, result.body?.includes('only through its public address')]).toEqual([403, true]);
    expect(seen).toHaveLength(0);
    expect(log.entries.map((entry) => entry.message)).toContain('security: request bypassed the edge');
  });

  it('refuses a bypassing POST with edge_required, and a CORS preflight too', async () => {
    const handler = httpHandler(
      'signup',
      { POST: async () => json(202, {}) },
      { allowedOrigins: ['https://www.agency.gov'], log: new RecordingLog(), edgeSecret: async () => SECRET },
    );
    const post = (await handler(jsonEvent({ email: 'a@agency.gov' }, { path: '/signup' }), undefined)) as HttpResult;
    const preflight = (await handler(
      httpEvent({ method: 'OPTIONS', path: '/signup', headers: { origin: 'https://www.agency.gov' } }),
      undefined,
    )) as HttpResult;
    const { error } = JSON.parse(post.body ?? '{}') as { error?: string };
    expect([post.statusCode, error, preflight.statusCode]).toEqual([403, 'edge_required', 403]);
  });

  it('answers 503 while the secret cannot be read, runs no action, and reads it again on the next request', async () => {
    let reads = 0;
    const { call, seen } = healthWith(SECRET, async () => {
      reads += 1;
      if (reads === 1) throw new ServiceUnavailableError('The service is briefly unavailable.', 5, 'Secrets Manager: ECONNREFUSED');
      return SECRET;
    });
    const failed = await call({ [EDGE_SECRET_HEADER]: SECRET });
    expect([failed.statusCode, failed.headers?.['retry-after'] ?? failed.headers?.['Retry-After'], seen.length]).toEqual([503, '5', 0]);
    expect((await call({ [EDGE_SECRET_HEADER]: SECRET })).statusCode).toBe(200);
    expect(reads).toBe(2);
  });

  it('falls back to the peer when CloudFront’s viewer address is missing or malformed', async () => {
    const { call, seen } = healthWith(SECRET);
    await call({ [EDGE_SECRET_HEADER]: SECRET });
    await call({ [EDGE_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: 'not-an-address:80' });
    expect(seen.map((context) => context.clientIp)).toEqual([PEER, PEER]);
  });
});

describe('without an edge', () => {
  it('counts the peer as the client and ignores a viewer-address header anybody could send', async () => {
    const { call, seen } = healthWith(undefined);
    const result = await call({ [VIEWER_ADDRESS_HEADER]: '198.51.100.23:50312', [EDGE_SECRET_HEADER]: 'guess' });
    expect(result.statusCode).toBe(200);
    expect(seen[0]?.clientIp).toBe(PEER);
  });
});
