import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  // Default per-recipient limits (60 s cooldown, 5 a day); a small per-client cap to reach it.
  service = await LocalService.start({ RATE_LIMIT_IP_PER_HOUR: '6' });
});
afterAll(async () => {
  await service.dispose();
});

describe('abuse limits', () => {
  it('one email per recipient per cooldown: the second request still answers 202 and sends nothing', async () => {
    const first = await service.postJson('/signup', { email: 'cooldown@agency.gov' });
    const second = await service.postJson('/signup', { email: 'cooldown@agency.gov' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(await second.json()).toEqual({ status: 'verification_sent', email: 'cooldown@agency.gov' });
    expect(await service.emailsTo('cooldown@agency.gov')).toHaveLength(1);
    // The first link is still the one that works.
    const token = await service.latestToken('cooldown@agency.gov');
    expect((await service.postJson('/verify', { token })).status).toBe(200);
  });

  it('caps POSTs per client address per hour with 429 and Retry-After, checked after the origin and before the body', async () => {
    // Two sign-ups above; four more reach the cap of six, whatever their bodies.
    for (const body of ['{"email":"a@agency.gov"}', 'not json', '{"email":"b@agency.gov"}', '{}']) {
      const response = await service.fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).not.toBe(429);
    }
    const limited = await service.fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });

    const foreign = await service.postJson('/signup', { email: 'c@agency.gov' }, { origin: 'https://evil.example.com' });
    expect(foreign.status).toBe(403);
  });

  it('does not limit reading pages or confirming links', async () => {
    expect((await service.fetch('/')).status).toBe(200);
    expect((await service.fetch('/verify?token=x')).status).toBe(400);
  });
});
