import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../functions/core/errors';
import { ACCESS_EVENT_TYPES } from '../../functions/core/outbox';
import { openApiDocument } from '../../functions/http/openapi';
import { REQUEST_BODIES } from '../../functions/http/request-bodies';
import { type Route, routes } from '../../functions/service/routes';

type Response = { content?: Record<string, unknown>; headers?: Record<string, unknown> };
type Parameter = { name: string; in: string; required?: boolean; schema?: unknown };
type Operation = {
  operationId?: string;
  security?: unknown;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
  responses: Record<string, Response>;
};
type Doc = {
  servers: unknown;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: Operation }>;
  components: { schemas: Record<string, unknown>; headers: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};
const doc = openApiDocument() as unknown as Doc;
/** Every path operation, as `method path`. */
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => [`${method} ${path}`, operation] as const),
  );

describe('GET /openapi.json', () => {
  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(openApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect([result.valid, validator.version]).toEqual([true, '3.1']);
    // A control: the validator does refuse a broken document (an answer without its description).
    const broken = structuredClone(openApiDocument()) as unknown as Doc;
    delete (broken.paths['/signup']!.post!.responses['202'] as { description?: string }).description;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('shows the choice fields’ choices, from the schemas the handlers validate with', () => {
    const field = (path: string, name: string) =>
      doc.paths[path]!.post!.requestBody!.content['application/json']!.schema.properties[name] as { enum?: string[] };
    expect(field('/verify', 'action').enum).toEqual(['confirm', 'cancel']);
    expect(field('/sponsorships/decision', 'decision').enum).toEqual(['approve', 'deny']);
    expect(field('/sponsors/manage', 'action').enum).toEqual(['renew', 'end']);
  });

  it('has every route and method of the route table (static files aside), and nothing else', () => {
    const expected = (routes as readonly Route[])
      .filter((route) => !route.prefix)
      .flatMap((route) => route.methods.map((method) => `${method.toLowerCase()} ${route.path}`))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(expected);
  });

  it('documents every field the handlers accept, in JSON and form bodies alike (the sandbox’s routes: JSON only)', () => {
    for (const [path, schema] of Object.entries(REQUEST_BODIES)) {
      const body = doc.paths[path]?.post?.requestBody?.content;
      const machine = routes.some((route: Route) => route.path === path && route.auth === 'iam');
      expect(Object.keys(body ?? {}).includes('application/x-www-form-urlencoded'), path).toBe(!machine);
      for (const type of machine ? ['application/json'] : ['application/json', 'application/x-www-form-urlencoded']) {
        expect(Object.keys(body?.[type]?.schema.properties ?? {}).sort(), `${type} ${path}`).toEqual(Object.keys(schema.entries).sort());
      }
    }
  });

  it('names every error code in some answer', () => {
    const text = JSON.stringify(doc.paths);
    const missing = ERROR_CODES.filter((code) => !text.includes(`"${code}"`));
    expect(missing).toEqual([]);
  });

  it('names the SigV4 scheme on the sandbox’s routes, and only there: every other operation says it needs nothing', () => {
    const security = Object.fromEntries(operations().map(([name, operation]) => [name, operation.security]));
    const machine = (routes as readonly Route[])
      .filter((route) => route.auth === 'iam')
      .flatMap((route) => route.methods.map((method) => `${method.toLowerCase()} ${route.path}`));
    expect(machine.sort()).toEqual(['get /v1/accounts', 'post /v1/activity']);
    for (const [name, required] of Object.entries(security)) expect(required, name).toEqual(machine.includes(name) ? [{ sigv4: [] }] : []);
    expect(doc.components.securitySchemes.sigv4).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  });

  it('names its server: BASE_URL when configured, else relative to where it was fetched', () => {
    expect((openApiDocument('https://sandbox.agency.gov') as unknown as Doc).servers).toEqual([{ url: 'https://sandbox.agency.gov' }]);
    expect(doc.servers).toEqual([{ url: '/' }]);
  });

  it('gives every operation, webhooks included, its own operationId', () => {
    const ids = [...operations(), ...Object.values(doc.webhooks).map((hook) => ['webhook', hook.post] as const)].map(
      ([, operation]) => operation.operationId,
    );
    expect(ids.every((id) => typeof id === 'string' && /^[a-zA-Z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the pages as HTML; a form post’s answers as HTML beside JSON; the sandbox’s as JSON only', () => {
    const types = (name: string, status: string) => {
      const [method, path] = name.split(' ') as [string, string];
      return Object.keys(doc.paths[path]![method]!.responses[status]!.content ?? {}).sort();
    };
    for (const page of ['get /', 'get /contractors', 'get /verify', 'get /keep', 'get /sponsorships/review', 'get /sign-in']) {
      expect(types(page, '200'), page).toEqual(['text/html']);
    }
    expect(types('get /verify', '410'), 'an expired link').toEqual(['text/html']);
    expect(types('get /sponsors', '200'), 'the dashboard').toEqual(['application/json', 'text/html']);
    for (const [name, operation] of operations()) {
      const machine = name.includes(' /v1/');
      for (const status of Object.keys(operation.responses).filter((status) => /^[45]/.test(status) && name.startsWith('post'))) {
        expect(types(name, status), `${name} ${status}`).toEqual(machine ? ['application/json'] : ['application/json', 'text/html']);
      }
    }
  });

  it('documents Retry-After on every 429 and 503, Allow on every 405, Location on every redirect', () => {
    const missing = operations().flatMap(([name, operation]) =>
      Object.entries(operation.responses).flatMap(([status, response]) => {
        const header = { '302': 'Location', '303': 'Location', '405': 'Allow', '429': 'Retry-After', '503': 'Retry-After' }[status];
        return header && !response.headers?.[header] ? [`${name} ${status} ${header}`] : [];
      }),
    );
    expect(missing).toEqual([]);
    const statuses = operations().flatMap(([, operation]) => Object.keys(operation.responses));
    expect(['302', '303', '405', '429', '503'].every((status) => statuses.includes(status))).toBe(true);
    expect(doc.components.headers['Retry-After']).toMatchObject({ schema: { type: 'integer' } });
  });

  it('documents the health route’s ?deep=1 and what it answers', () => {
    const health = doc.paths['/healthz']!.get!;
    expect(health.parameters).toEqual([
      expect.objectContaining({ name: 'deep', in: 'query', required: false, schema: { type: 'string', enum: ['1'] } }),
    ]);
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(['200', '503']));
  });

  it('documents the Standard Webhooks headers on each webhook', () => {
    for (const hook of Object.values(doc.webhooks)) {
      const headers = (hook.post.parameters ?? []).filter((parameter) => parameter.in === 'header' && parameter.required);
      expect(headers.map((parameter) => parameter.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      expect(hook.post.security).toEqual([]);
    }
  });

  it('lists each dashboard contractor’s agency (null on records older than it)', () => {
    const answer = doc.paths['/sponsors']!.get!.responses['200'] as {
      content: Record<string, { schema: { properties: { contractors: { items: { properties: Record<string, unknown> } } } } }>;
    };
    expect(answer.content['application/json']!.schema.properties.contractors.items.properties.agency).toMatchObject({
      type: ['object', 'null'],
      required: ['organization', 'domainType'],
      properties: { organization: { type: 'string' }, suborganization: { type: 'string' }, domainType: { type: 'string' } },
    });
  });

  it('describes the four webhook events with their body', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...ACCESS_EVENT_TYPES].sort());
    expect(doc.components.schemas.WebhookEvent).toMatchObject({
      properties: {
        type: { enum: [...ACCESS_EVENT_TYPES] },
        data: { properties: { email: {}, kind: {}, status: {}, accessExpiresAt: {}, sponsor: {}, by: {} } },
      },
    });
  });
});
