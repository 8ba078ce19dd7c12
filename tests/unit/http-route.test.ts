import { describe, expect, it } from 'vitest';
import {
  AlreadyVerifiedError,
  type AppError,
  DomainNotEligibleError,
  ExpiredTokenError,
  InvalidEmailError,
  InvalidRequestError,
  InvalidTokenError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../../functions/core/errors';
import { handler as fallback } from '../../functions/handlers/fallback';
import { type Action, httpHandler, type RequestContext } from '../../functions/http/http-handler';
import { ownOrigins } from '../../functions/http/origin';
import { errorResult, html, internalErrorMessage, json } from '../../functions/http/respond';
import type { HttpEvent, HttpResult } from '../../functions/http/types';
import { allowedMethods, findRoute, methodsOf, type Route, routes } from '../../functions/service/routes';
import { signUpPage } from '../../functions/views/sign-up-pages';
import { DOMAIN_NAME, type EventOptions, formEvent, httpEvent, jsonEvent } from '../support/events';
import { RecordingLog, RecordingMetrics } from '../support/fakes';

const BASE_URL = 'https://sandbox.example.gov';
const PARTNER = 'https://www.agency.gov';

/** An action that records every call and answers 200 (JSON or HTML by the request's format). */
function spyAction(answer?: (context: RequestContext) => Promise<HttpResult>) {
  const calls: RequestContext[] = [];
  const action: Action = async (context) => {
    calls.push(context);
    if (answer) return answer(context);
    return context.format === 'html' ? html(200, signUpPage()) : json(200, { status: 'ok' });
  };
  return { action, calls };
}

function throwing(error: unknown): Action {
  return async () => {
    throw error;
  };
}

/** A handler that the route table gives exactly these methods: verify (GET and POST), pages (GET), signup (POST). */
function setup(actions: { GET?: Action; POST?: Action }, options: { baseUrl?: string | null; allowedOrigins?: string[] } = {}) {
  const log = new RecordingLog();
  const httpOptions = {
    ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl ?? BASE_URL }),
    allowedOrigins: options.allowedOrigins ?? [PARTNER],
    log,
  };
  const { GET, POST } = actions;
  const handler =
    GET && POST
      ? httpHandler('verify', { GET, POST }, httpOptions)
      : GET
        ? httpHandler('pages', { GET }, httpOptions)
        : httpHandler('signup', { POST: POST! }, httpOptions);
  return { handler, log };
}

const post = (headers: Record<string, string> = {}, extra: EventOptions = {}): HttpEvent =>
  jsonEvent({ email: 'user@agency.gov' }, { path: '/signup', headers, ...extra });

function bodyOf(result: HttpResult): Record<string, unknown> {
  return JSON.parse(String(result.body)) as Record<string, unknown>;
}

describe('the route table is the one source of methods', () => {
  const ok: Action = async () => json(200, { status: 'ok' });

  it.each(routes.map((route: Route) => [route.path, route] as const))(
    '%s: a handler and the fallback answer an unlisted method alike',
    async (path, route) => {
      // A handler may serve several paths (sign-in's pages, the dashboard and its form): it has an action for each of their methods.
      const actions = Object.fromEntries(methodsOf(route.handler).map((method) => [method, ok]));
      const handler = httpHandler(route.handler as 'verify', actions as { GET: Action; POST: Action }, {
        allowedOrigins: [],
        log: new RecordingLog(),
      });
      const concrete = route.prefix ? `${path}/x` : path;

      const fromHandler = await handler(httpEvent({ method: 'DELETE', path: concrete }));
      const fromFallback = await fallback(httpEvent({ method: 'DELETE', path: concrete }));

      expect([fromHandler.statusCode, fromHandler.headers.Allow]).toEqual([405, allowedMethods(route).join(', ')]);
      expect([fromFallback.statusCode, fromFallback.headers.Allow]).toEqual([fromHandler.statusCode, fromHandler.headers.Allow]);
      for (const method of route.methods) expect((await handler(httpEvent({ method, path: concrete }))).statusCode).toBe(200);
      // A method the handler answers on another of its paths is not this path's: 405 here too, as the fallback says.
      for (const method of methodsOf(route.handler).filter((known) => !(route.methods as readonly string[]).includes(known))) {
        const other = await handler(httpEvent({ method, path: concrete }));
        expect([method, other.statusCode, other.headers.Allow]).toEqual([method, 405, allowedMethods(route).join(', ')]);
      }
    },
  );

  it.each(['/assets', '/assets/'])('%s is no route: 404 from the fallback (as API Gateway sends it there), never 405', async (path) => {
    expect(findRoute(path)).toBeUndefined();
    expect((await fallback(httpEvent({ method: 'GET', path }))).statusCode).toBe(404);
  });

  it('refuses to build a handler that lacks an action the route table lists', () => {
    expect(() =>
      httpHandler('verify', { GET: ok } as unknown as { GET: Action; POST: Action }, { allowedOrigins: [], log: new RecordingLog() }),
    ).toThrow(/no action for POST/);
  });
});

describe('method dispatch', () => {
  it.each(['PUT', 'DELETE', 'PATCH'])('answers %s to a POST-only address with 405 and Allow', async (method) => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const result = await handler(httpEvent({ method, path: '/signup' }));

    expect([result.statusCode, result.headers.Allow]).toEqual([405, 'POST, OPTIONS']);
    expect(calls).toHaveLength(0);
  });

  it('answers a wrong method of a JSON request in JSON', async () => {
    const { handler } = setup({ POST: spyAction().action });

    const result = await handler(httpEvent({ method: 'DELETE', path: '/signup', headers: { 'Content-Type': 'application/json' } }));

    expect(result.headers['Content-Type']).toMatch(/^application\/json/);
    expect(bodyOf(result)).toMatchObject({ error: 'method_not_allowed' });
  });

  it('lists GET, HEAD, POST and OPTIONS in Allow where both GET and POST are served', async () => {
    const { handler } = setup({ GET: spyAction().action, POST: spyAction().action });

    const result = await handler(httpEvent({ method: 'DELETE', path: '/verify' }));

    expect(result.headers.Allow).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('answers POST to a GET-only address with 405 and Allow: GET, HEAD', async () => {
    const { handler } = setup({ GET: spyAction().action });

    const result = await handler(post());

    expect([result.statusCode, result.headers.Allow]).toEqual([405, 'GET, HEAD']);
  });

  it('answers HEAD like GET, with the same status and headers and an empty body', async () => {
    const { handler } = setup({ GET: spyAction().action });

    const get = await handler(httpEvent({ method: 'GET' }));
    const head = await handler(httpEvent({ method: 'HEAD' }));

    expect(get.body).not.toBe('');
    expect(head).toEqual({ ...get, body: '' });
  });

  it('answers HEAD of an error with the error’s status and an empty body', async () => {
    const { handler } = setup({ GET: throwing(new InvalidTokenError('This link is not valid.')) });

    const head = await handler(httpEvent({ method: 'HEAD', path: '/verify' }));

    expect([head.statusCode, head.body]).toEqual([400, '']);
  });

  it('hands the action the API Gateway source address, never X-Forwarded-For', async () => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    await handler(post({ 'x-forwarded-for': '10.0.0.1' }, { sourceIp: '198.51.100.23' }));

    expect(calls[0]?.clientIp).toBe('198.51.100.23');
  });

  it('builds links from the API’s own domain when BASE_URL is unset, never from Host or X-Forwarded-Host', async () => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action }, { baseUrl: null });

    await handler(post({ host: 'evil.example', 'x-forwarded-host': 'evil.example' }));

    expect(calls[0]?.baseUrl).toBe(`https://${DOMAIN_NAME}`);
  });
});

describe('CORS preflight', () => {
  it('answers OPTIONS from an allowed origin with 204 and CORS headers', async () => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const result = await handler(
      httpEvent({ method: 'OPTIONS', path: '/signup', headers: { origin: PARTNER, 'access-control-request-method': 'POST' } }),
    );

    expect(result.statusCode).toBe(204);
    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': PARTNER,
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Content-Type',
      Vary: 'Origin',
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses OPTIONS from an unknown origin with 403 and no CORS grant', async () => {
    const { handler } = setup({ POST: spyAction().action });

    const result = await handler(httpEvent({ method: 'OPTIONS', path: '/signup', headers: { origin: 'https://evil.example' } }));

    expect(result.statusCode).toBe(403);
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('origin check on POST', () => {
  it.each([
    ['a foreign site', 'https://evil.example'],
    ['a look-alike host', 'https://sandbox.example.gov.evil.example'],
    ['the own host over http', 'http://sandbox.example.gov'],
    ['the own host on another port', 'https://sandbox.example.gov:8443'],
  ])('refuses %s with 403 forbidden_origin before the action runs', async (_label, origin) => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const result = await handler(post({ origin }));

    expect([result.statusCode, bodyOf(result).error]).toEqual([403, 'forbidden_origin']);
    expect(calls).toHaveLength(0);
  });

  it('logs a refused cross-site request as a security event', async () => {
    const { handler, log } = setup({ POST: spyAction().action });

    await handler(post({ origin: 'https://evil.example' }));

    expect(log.at('warn').map((entry) => entry.message)).toEqual([expect.stringContaining('security')]);
  });

  it('refuses Origin: null without Sec-Fetch-Site: same-origin', async () => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const results = await Promise.all([
      handler(post({ origin: 'null' })),
      handler(post({ origin: 'null', 'sec-fetch-site': 'cross-site' })),
    ]);

    expect(results.map((result) => result.statusCode)).toEqual([403, 403]);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['its own origin', BASE_URL, {}],
    ['Origin: null with Sec-Fetch-Site: same-origin', 'null', { 'sec-fetch-site': 'same-origin' }],
  ])('accepts %s without granting CORS', async (_label, origin, extra) => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const result = await handler(post({ origin, ...extra }));

    expect(result.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  it('accepts a request without Origin (not a browser)', async () => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action });

    const result = await handler(post());

    expect([result.statusCode, calls.length]).toEqual([200, 1]);
  });

  it.each([
    ['http://localhost:3000', 'http://127.0.0.1:3000'],
    ['http://127.0.0.1:3000', 'http://localhost:3000'],
  ])('treats the loopback twin of %s as its own origin', async (baseUrl, origin) => {
    const { action, calls } = spyAction();
    const { handler } = setup({ POST: action }, { baseUrl });

    const result = await handler(post({ origin }));

    expect([result.statusCode, calls.length]).toEqual([200, 1]);
  });

  it('accepts the API’s own domain as own origin when BASE_URL is unset', async () => {
    const { handler } = setup({ POST: spyAction().action }, { baseUrl: null });

    const result = await handler(post({ origin: `https://${DOMAIN_NAME}` }));

    expect(result.statusCode).toBe(200);
  });

  it('accepts an ALLOWED_ORIGINS site and echoes it in Access-Control-Allow-Origin', async () => {
    const { handler } = setup({ POST: spyAction().action });

    const result = await handler(post({ origin: PARTNER }));

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': PARTNER, Vary: 'Origin' });
  });

  it('keeps the CORS grant on an error answer so the allowed site can read it', async () => {
    const { handler } = setup({ POST: throwing(new DomainNotEligibleError('Only .gov and .mil.', 'email')) });

    const result = await handler(post({ origin: PARTNER }));

    expect([result.statusCode, result.headers['Access-Control-Allow-Origin']]).toEqual([422, PARTNER]);
  });
});

describe('ownOrigins', () => {
  it('is the origin of BASE_URL, without its path', () => {
    expect(ownOrigins('https://sandbox.example.gov/base')).toEqual(['https://sandbox.example.gov']);
  });

  it('adds the loopback twin with the same port', () => {
    expect(ownOrigins('http://localhost:3000')).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
  });
});

describe('unexpected errors', () => {
  const secret = new Error('connect ECONNREFUSED 10.1.2.3:8000 table=gatekeeper-prod secret=hunter2');

  it('answers a JSON request with 500 and a generic message only', async () => {
    const { handler } = setup({ POST: throwing(secret) });

    const result = await handler(post());

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({ error: 'internal_error', message: internalErrorMessage });
  });

  it('answers a form post with a 500 HTML page that carries no internals', async () => {
    const { handler } = setup({ POST: throwing(secret) });

    const result = await handler(formEvent({ email: 'user@agency.gov' }, { path: '/signup' }));

    expect([result.statusCode, result.headers['Content-Type']]).toEqual([500, 'text/html; charset=utf-8']);
    for (const leak of ['ECONNREFUSED', 'hunter2', '10.1.2.3', 'route.test', '    at ']) expect(result.body).not.toContain(leak);
  });

  it('keeps the stack in the log, not in the answer', async () => {
    const { handler, log } = setup({ POST: throwing(secret) });

    const result = await handler(post());

    expect(result.body).not.toContain('hunter2');
    expect(log.at('error')).toHaveLength(1);
  });

  it('answers a thrown non-Error value with 500 as well', async () => {
    const { handler } = setup({ POST: throwing('a string') });

    expect((await handler(post())).statusCode).toBe(500);
  });
});

describe('errors to statuses', () => {
  const cases: ReadonlyArray<readonly [number, string, AppError]> = [
    [400, 'InvalidRequestError', new InvalidRequestError('The field "email" must be text.', 'email')],
    [400, 'InvalidEmailError', new InvalidEmailError('Enter your email address.')],
    [400, 'InvalidTokenError', new InvalidTokenError('This link is not valid.')],
    [409, 'AlreadyVerifiedError', new AlreadyVerifiedError('Already confirmed.')],
    [410, 'ExpiredTokenError', new ExpiredTokenError('This link has expired.')],
    [413, 'PayloadTooLargeError', new PayloadTooLargeError('Too large.')],
    [415, 'UnsupportedMediaTypeError', new UnsupportedMediaTypeError('Send JSON.')],
    [422, 'DomainNotEligibleError', new DomainNotEligibleError('Only .gov and .mil.', 'email')],
    [429, 'RateLimitedError', new RateLimitedError('Too many requests.', 120)],
  ];

  it.each(cases)('answers %i for %s in JSON with the contract’s shape', async (status, _name, error) => {
    const { handler } = setup({ POST: throwing(error) });

    const result = await handler(post());

    expect(result.statusCode).toBe(status);
    expect(bodyOf(result)).toEqual({ error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });
  });

  it.each(cases)('answers %i for %s with an HTML page to a form post', async (status, _name, error) => {
    const { handler } = setup({ POST: throwing(error) });

    const result = await handler(formEvent({ email: 'user@agency.gov' }, { path: '/signup' }));

    expect([result.statusCode, result.headers['Content-Type']]).toEqual([status, 'text/html; charset=utf-8']);
    expect(result.body).toContain(error.message.replace(/"/g, '&quot;'));
  });

  it('sends Retry-After with 429 in JSON and in HTML', async () => {
    const { handler } = setup({ POST: throwing(new RateLimitedError('Too many requests.', 120)) });

    const answers = await Promise.all([handler(post()), handler(formEvent({ email: 'x' }, { path: '/signup' }))]);

    expect(answers.map((result) => result.headers['Retry-After'])).toEqual(['120', '120']);
  });

  it('names the field in JSON for an error about one field', () => {
    const result = errorResult(new InvalidEmailError('Enter your email address.', 'sponsorEmail'), 'json');

    expect(bodyOf(result).field).toBe('sponsorEmail');
  });
});

describe('security headers', () => {
  function expectPageHeaders(result: HttpResult) {
    expect(result.headers).toMatchObject({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
    const csp = result.headers['Content-Security-Policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  }

  it('sends them with an HTML page', async () => {
    const { handler } = setup({ GET: spyAction().action });

    expectPageHeaders(await handler(httpEvent({ method: 'GET' })));
  });

  it('sends them with an HTML error page', async () => {
    const { handler } = setup({ GET: throwing(new ExpiredTokenError('This link has expired.')) });

    expectPageHeaders(await handler(httpEvent({ method: 'GET', path: '/verify' })));
  });

  it('sends them with the HTML 500 page', async () => {
    const { handler } = setup({ GET: throwing(new Error('boom')) });

    expectPageHeaders(await handler(httpEvent({ method: 'GET' })));
  });

  it('marks JSON answers no-store and nosniff too', async () => {
    const { handler } = setup({ POST: spyAction().action });

    const result = await handler(post());

    expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  });
});

describe('outages and defects are counted apart', () => {
  it('counts a 503 as DependencyUnavailable and a 500 as InternalErrors', async () => {
    const metrics = new RecordingMetrics();
    const answer = (error: unknown) =>
      httpHandler(
        'health',
        { GET: throwing(error) },
        { allowedOrigins: [], log: new RecordingLog(), metrics },
      )(httpEvent({ path: '/healthz' }), undefined) as Promise<HttpResult>;
    const outage = await answer(new ServiceUnavailableError('Briefly unavailable.', 5, 'DynamoDB: ECONNREFUSED'));
    const defect = await answer(new Error('a bug'));
    expect([outage.statusCode, defect.statusCode]).toEqual([503, 500]);
    expect([metrics.get('DependencyUnavailable'), metrics.get('InternalErrors')]).toEqual([1, 1]);
  });
});
