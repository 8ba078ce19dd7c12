import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../functions/core/errors';
import { ACCESS_EVENT_TYPES } from '../../functions/core/outbox';
import { openApiDocument } from '../../functions/http/openapi';
import { REQUEST_BODIES } from '../../functions/http/request-bodies';
import { type Route, routes } from '../../functions/service/routes';

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; responses: Record<string, unknown> }
    >
  >;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};
const doc = openApiDocument() as unknown as Doc;

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

  it('names the SigV4 scheme on the sandbox’s routes, and only there', () => {
    const secured = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { security?: unknown }>).flatMap(([method, operation]) =>
        operation.security ? [`${method} ${path}`] : [],
      ),
    );
    expect(secured.sort()).toEqual(['get /v1/accounts', 'post /v1/activity']);
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
