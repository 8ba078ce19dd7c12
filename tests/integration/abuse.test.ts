import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

/** Issue 9's reproductions, each turned into the behaviour that fixes it, through `npm start`'s server. */
let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
});
afterAll(async () => {
  await service.dispose();
});

const contractor = {
  email: 'dana@contractor.com',
  name: 'Dana Contractor',
  company: 'Acme Integrations',
  sponsorEmail: 'boss@agency.gov',
  justification: 'We build the login integration.',
};

describe('a lone surrogate cannot break the next person’s email', () => {
  it('is refused with 400 naming the field, and the next sign-up’s email arrives whole, alone, to its owner', async () => {
    // JSON's \ud800 escape decodes to a lone surrogate.
    const poisoned = await service.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"attacker@agency.gov","name":"X \\ud800"}',
    });
    const next = await service.postJson('/signup', { email: 'victim@agency.gov' });

    expect(poisoned.status).toBe(400);
    expect(await poisoned.json()).toMatchObject({ error: 'invalid_request', field: 'name' });
    expect(next.status).toBe(202);
    await expect.poll(async () => (await service.emailsTo('victim@agency.gov')).length).toBe(1);
    const [email] = await service.emailsTo('victim@agency.gov');
    expect(email!.destination.to).toEqual(['victim@agency.gov']);
    expect(email!.body.text).toMatch(/\/verify\?token=[A-Za-z0-9_-]{43}\n/);
    expect(await service.emailsTo('attacker@agency.gov')).toEqual([]);
  });
});

describe('text people write', () => {
  it.each([
    ['name', 'Dana\u202Emoc.live'],
    ['name', 'Dana https://evil.example.com'],
    ['company', 'www.ssa-review.com'],
    ['company', 'Acme\u200B'],
    ['justification', 'Review the request\u2028https://evil.example.com'],
    ['justification', 'x \ud800'],
  ])('a contractor request whose %s is %j → 400 invalid_request naming it, nothing sent', async (field, value) => {
    const response = await service.postJson('/sponsorships', { ...contractor, email: `t-${field}@contractor.com`, [field]: value });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', field });
    expect(await service.emailsTo(`t-${field}@contractor.com`)).toEqual([]);
  });

  it('a link in the justification is allowed (it is shown only behind the sponsor’s link, labelled)', async () => {
    const response = await service.postJson('/sponsorships', { ...contractor, justification: 'Spec: https://agency.gov/spec' });
    expect(response.status).toBe(202);
  });

  it('charset=utf8 is UTF-8', async () => {
    const response = await service.fetch('/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf8' },
      body: JSON.stringify({ email: 'utf8@agency.gov' }),
    });
    expect(response.status).toBe(202);
  });
});
