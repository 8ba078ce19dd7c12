import { describe, expect, it } from 'vitest';
import { handler as fallback } from '../../functions/handlers/fallback';
import { httpEvent } from '../support/events';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('an unknown path (the fallback)', () => {
  it.each(['GET', 'HEAD', 'POST', 'DELETE'])('%s with Accept: application/json → 404 JSON not_found', async (method) => {
    const result = await fallback(httpEvent({ method, path: '/no-such-page', headers: { accept: 'application/json' } }));
    expect([result.statusCode, result.headers['Content-Type']]).toEqual([404, 'application/json; charset=utf-8']);
    if (method === 'HEAD') return expect(result.body).toBe('');
    expect(JSON.parse(result.body ?? '')).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it.each([
    ['a browser', BROWSER],
    ['no Accept at all', undefined],
    ['anything', '*/*'],
  ])('GET from %s → the HTML 404 page', async (_who, accept) => {
    const result = await fallback(httpEvent({ path: '/no-such-page', headers: accept ? { accept } : {} }));
    expect([result.statusCode, result.headers['Content-Type']]).toEqual([404, 'text/html; charset=utf-8']);
    expect(result.body).toContain('<html');
  });

  it('a known path with a method it does not answer, asking for JSON → 405 JSON with Allow', async () => {
    const result = await fallback(httpEvent({ method: 'PUT', path: '/signup', headers: { accept: 'application/json' } }));
    expect([result.statusCode, result.headers.Allow, JSON.parse(result.body ?? '').error]).toEqual([
      405,
      'POST, OPTIONS',
      'method_not_allowed',
    ]);
  });
});
