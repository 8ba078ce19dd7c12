import { beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../functions/http/types';
import { ASSET_VERSION } from '../../functions/views/assets';
import { httpEvent } from '../support/events';

let handler: LambdaHandler;

beforeAll(async () => {
  Object.assign(process.env, { TABLE_NAME: 'unit', MAIL_FROM: 'no-reply@sandbox.example.gov', POWERTOOLS_METRICS_DISABLED: 'true' });
  delete process.env.BASE_URL; // vitest sets it to '/'
  ({ handler } = await import('../../functions/handlers/assets'));
});

const get = (path: string, method = 'GET') => handler(httpEvent({ method, path }));

describe('GET /assets/<version>/<file>', () => {
  it.each([
    ['uswds/css/uswds.min.css', 'text/css; charset=utf-8'],
    ['app/enhance.js', 'text/javascript; charset=utf-8'],
    ['uswds/img/us_flag_small.png', 'image/png'],
    ['uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2', 'font/woff2'],
  ])('serves %s as %s, cached for a year under the current version', async (path, type) => {
    const result = await get(`/assets/${ASSET_VERSION}/${path}`);
    expect(result.statusCode).toBe(200);
    expect(result.headers['Content-Type']).toBe(type);
    expect(result.headers['Cache-Control']).toBe('public, max-age=31536000, immutable');
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(String(result.body), 'base64').length).toBeGreaterThan(100);
  });

  it('serves a file under an older version, but caches it only briefly', async () => {
    const result = await get('/assets/oldversion/uswds/css/uswds.min.css');
    expect([result.statusCode, result.headers['Cache-Control']]).toEqual([200, 'public, max-age=300']);
  });

  it.each([
    `/assets/${ASSET_VERSION}/../../package.json`,
    `/assets/${ASSET_VERSION}/manifest.json`,
    `/assets/${ASSET_VERSION}/uswds/css/../../../../package.json`,
    `/assets/${ASSET_VERSION}/%2e%2e/%2e%2e/package.json`,
    `/assets/${ASSET_VERSION}/uswds/css/nope.css`,
    '/assets',
  ])('answers 404 for %s: only the files the build listed are served', async (path) => {
    expect((await get(path)).statusCode).toBe(404);
  });

  it('answers HEAD without a body and refuses POST', async () => {
    const head = await get(`/assets/${ASSET_VERSION}/app/app.css`, 'HEAD');
    expect([head.statusCode, head.body]).toEqual([200, '']);
    expect((await get(`/assets/${ASSET_VERSION}/app/app.css`, 'POST')).statusCode).toBe(405);
  });
});
