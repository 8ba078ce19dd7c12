import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';
import { scanItems } from '../support/table-scan';

const PARTNER = 'https://www.partner.agency.gov';
let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({
    ALLOWED_ORIGINS: PARTNER,
    SIGNUP_SUCCESS_URL: `${PARTNER}/sandbox/thanks.html`,
    RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
  });
});
afterAll(async () => {
  await service.dispose();
});

async function errorOf(response: Response): Promise<{ status: number; error: string; field?: string }> {
  const body = (await response.json()) as { error: string; message: string; field?: string };
  expect(body.message.length).toBeGreaterThan(10);
  return { status: response.status, error: body.error, ...(body.field ? { field: body.field } : {}) };
}

describe('the HTTP contract for bad input', () => {
  it.each([
    ['a malformed JSON body', '{"email": ', { status: 400, error: 'invalid_request' }],
    ['a JSON array', '["a@agency.gov"]', { status: 400, error: 'invalid_request' }],
    ['email as an array', '{"email":["a@agency.gov","b@evil.com"]}', { status: 400, error: 'invalid_request', field: 'email' }],
    ['email as an object', '{"email":{"to":"a@agency.gov"}}', { status: 400, error: 'invalid_request', field: 'email' }],
    ['email as a number', '{"email":42}', { status: 400, error: 'invalid_request', field: 'email' }],
    ['email as null', '{"email":null}', { status: 400, error: 'invalid_request', field: 'email' }],
    ['a missing email', '{}', { status: 400, error: 'invalid_email', field: 'email' }],
    ['two addresses in one', '{"email":"me@mine.fr@elysee.gov"}', { status: 400, error: 'invalid_email', field: 'email' }],
    ['a quoted local part', '{"email":"\\"x@gmail.com x\\"@agency.gov"}', { status: 400, error: 'invalid_email', field: 'email' }],
    ['a CRLF header injection', '{"email":"a@agency.gov\\r\\nBcc: b@evil.com"}', { status: 400, error: 'invalid_email', field: 'email' }],
    ['a look-alike domain', '{"email":"a@agency.gоv"}', { status: 400, error: 'invalid_email', field: 'email' }],
    ['a suffix trick', '{"email":"a@agency.gov.evil.com"}', { status: 422, error: 'domain_not_eligible', field: 'email' }],
    ['a trailing dot', '{"email":"a@agency.gov."}', { status: 400, error: 'invalid_email', field: 'email' }],
    [
      'an over-long name',
      JSON.stringify({ email: 'a@agency.gov', name: 'n'.repeat(201) }),
      { status: 400, error: 'invalid_request', field: 'name' },
    ],
  ])('%s → a clear error and no email', async (_case, body, expected) => {
    const before = (await service.emails()).length;
    const response = await service.fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await errorOf(response)).toEqual(expected);
    expect((await service.emails()).length).toBe(before);
  });

  it('a repeated form field → 400 naming it', async () => {
    const response = await service.postForm('/signup', 'email=a%40agency.gov&email=b%40evil.com', { accept: 'application/json' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('more than once');
  });

  it('a body over 16 KiB → 413; an unsupported type or charset → 415', async () => {
    const big = await service.postJson('/signup', { email: 'a@agency.gov', name: 'x'.repeat(17_000) });
    expect(await errorOf(big)).toEqual({ status: 413, error: 'payload_too_large' });
    const text = await service.fetch('/signup', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a@agency.gov' });
    expect((await errorOf(text)).status).toBe(415);
    const latin1 = await service.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' },
      body: 'email=a%40agency.gov',
    });
    expect(latin1.status).toBe(415);
    expect(await latin1.text()).toContain('in UTF-8');
  });

  it('an unknown route → 404; a wrong method → 405 with Allow; HEAD is GET without a body', async () => {
    expect(await errorOf(await service.fetch('/nope', { headers: { accept: 'application/json' }, method: 'POST' }))).toEqual({
      status: 404,
      error: 'not_found',
    });
    expect((await service.fetch('/admin')).status).toBe(404);
    expect(await errorOf(await service.fetch('/nope', { headers: { accept: 'application/json' } }))).toEqual({
      status: 404,
      error: 'not_found',
    });
    // As in AWS, where `/assets/{proxy+}` does not match these and the fallback answers.
    expect((await service.fetch('/assets')).status).toBe(404);
    expect((await service.fetch('/assets/')).status).toBe(404);
    const wrong = await service.fetch('/signup');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, OPTIONS');
    const del = await service.fetch('/verify', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    const head = await service.fetch('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await head.text()).toBe('');
  });

  it('GET /healthz → 200 ok', async () => {
    const response = await service.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json → 200, the contract as OpenAPI 3.1 JSON', async () => {
    const response = await service.fetch('/openapi.json');
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    const document = (await response.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    // Its server is BASE_URL (the harness reaches it by address rather than by name).
    expect(document.servers.map((server) => server.url.replace('localhost', '127.0.0.1'))).toEqual([service.baseUrl]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/sponsors',
        '/sponsors/manage',
        '/sponsorships/decision',
        '/sign-in',
        '/sign-in/code',
        '/sign-in/verify',
        '/sign-out',
      ]),
    );
    // The management link is gone: a session decides, a link alone does not.
    expect(Object.keys(document.paths)).not.toContain('/sponsors/link');
  });
});

describe('cross-site requests', () => {
  it('refuses a POST from a foreign origin with 403 before anything else', async () => {
    const response = await service.postJson('/signup', { email: 'x@agency.gov' }, { origin: 'https://evil.example.com' });
    expect(await errorOf(response)).toEqual({ status: 403, error: 'forbidden_origin' });
    expect(await service.emailsTo('x@agency.gov')).toHaveLength(0);
  });

  it('accepts its own origin (localhost and 127.0.0.1), Origin: null from its own pages, and no Origin', async () => {
    const port = new URL(service.baseUrl).port;
    const accepted: Record<string, string>[] = [
      { origin: `http://localhost:${port}` },
      { origin: `http://127.0.0.1:${port}` },
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const headers of accepted) {
      expect((await service.postJson('/signup', { email: 'own@agency.gov' }, headers)).status).toBe(202);
    }
    expect((await service.postJson('/signup', { email: 'own@agency.gov' }, { origin: 'null' })).status).toBe(403);
  });

  it('sends a partner site’s plain form post back to its thank-you page; its own pages get the page', async () => {
    const partner = await service.postForm('/signup', { email: 'embedded@agency.gov' }, { origin: PARTNER });
    expect(partner.status).toBe(303);
    expect(partner.headers.get('location')).toBe(`${PARTNER}/sandbox/thanks.html`);
    expect(await service.emailsTo('embedded@agency.gov')).toHaveLength(1);
    const own = await service.postForm('/signup', { email: 'embedded@agency.gov' });
    expect(own.status).toBe(202);
    expect(await own.text()).toContain('Check your email');
    // A field error stays on the service, where it can be shown next to the field.
    const invalid = await service.postForm('/signup', { email: 'embedded@contractor.com' }, { origin: PARTNER });
    expect(invalid.status).toBe(422);
    expect(await invalid.text()).toContain('id="email-error"');
  });

  it('answers a form post that asks for JSON (a script’s fetch) in JSON', async () => {
    const response = await service.postForm(
      '/signup',
      { email: 'scripted@contractor.com' },
      { origin: PARTNER, accept: 'application/json' },
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(await response.json()).toMatchObject({ error: 'domain_not_eligible', field: 'email' });
  });

  it('answers CORS preflight and posts from an allowed origin', async () => {
    const preflight = await service.fetch('/signup', {
      method: 'OPTIONS',
      headers: { origin: PARTNER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const post = await service.postJson('/signup', { email: 'partner.user@agency.gov' }, { origin: PARTNER });
    expect(post.status).toBe(202);
    expect(post.headers.get('access-control-allow-origin')).toBe(PARTNER);
    const foreign = await service.fetch('/signup', { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('tokens behind links', () => {
  it.each([
    ['empty', ''],
    ['10 KB', 'A'.repeat(10_000)],
    ['not base64url', '%%%%'],
    ['SQL-ish', "' OR '1'='1"],
    ['one character short', 'A'.repeat(42)],
  ])('a garbage token (%s) gets the same generic 400 on GET and POST', async (_case, token) => {
    const page = await service.fetch(`/verify?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Get a new link');
    const post = await service.postJson('/verify', { token });
    expect(await errorOf(post)).toEqual({ status: 400, error: 'invalid_token' });
  });

  it('an expired link that TTL has not yet deleted → 410, on the page and the POST, and changes nothing', async () => {
    const token = `${'L'.repeat(22)}.${'E'.repeat(43)}`;
    const past = Math.floor(Date.now() / 1000) - 60;
    const email = 'expired@agency.gov';
    await service.documentClient().send(
      new PutCommand({
        TableName: 'sandbox-gatekeeper',
        Item: {
          pk: `ACCOUNT#${email}`,
          sk: 'ACCOUNT',
          email,
          kind: 'agency',
          status: 'pending',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          linkId: 'L'.repeat(22),
          verifyLinks: [{ hash: createHash('sha256').update(token).digest('base64url'), expiresAt: past }],
          expireAt: past + 86_400,
          history: [],
          version: 1,
        },
      }),
    );
    const page = await service.fetch(`/verify?token=${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Get a new link');
    expect(await errorOf(await service.postJson('/verify', { token }))).toEqual({ status: 410, error: 'expired_token' });
  });

  it('only the hash of a token is stored: a table scan finds no raw token', async () => {
    await service.postJson('/signup', { email: 'scan.me@agency.gov' });
    const token = await service.latestToken('scan.me@agency.gov');
    const items = await scanItems(service.documentClient(), 'sandbox-gatekeeper');
    expect(JSON.stringify(items)).not.toContain(token);
    expect(JSON.stringify(items)).toContain(createHash('sha256').update(token).digest('base64url'));
  });
});

describe('pages', () => {
  it('serves the USWDS stylesheet and the page script it links, from the service itself', async () => {
    const markup = await (await service.fetch('/')).text();
    const links = [...markup.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(links.some((link) => link.endsWith('uswds.min.css'))).toBe(true);
    expect(links.some((link) => link.endsWith('enhance.js'))).toBe(true);
    for (const link of links) {
      const response = await service.fetch(link);
      expect(response.status, link).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
    expect(markup).not.toMatch(/https?:\/\/(?!www\.usa\.gov)[^"]+\.(css|js)/);
  });

  it.each(['/', '/verify?token=bad', '/nope'])('%s carries the security headers', async (path) => {
    const response = await service.fetch(path);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('the sign-up page is a labelled form that posts without JavaScript', async () => {
    const markup = await (await service.fetch('/')).text();
    expect(markup).toContain('<html lang="en">');
    expect(markup).toMatch(/<form class="usa-form[^"]*" method="post" action="\/signup"/);
    expect(markup).toMatch(/<label class="usa-label" for="email">/);
    expect(markup).not.toMatch(/<script>|http-equiv/i);
  });
});
