import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

/** Issue 9, "reputation": a burst of sign-ups for random addresses must not bounce the service into a pause. */
let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({ ANONYMOUS_EMAILS_PER_HOUR: '2', RATE_LIMIT_TOKEN_IP_PER_HOUR: '3' });
});
afterAll(async () => {
  await service.dispose();
});

describe('service-wide budgets', () => {
  it('past ANONYMOUS_EMAILS_PER_HOUR every sign-up still answers 202 alike, and nothing more is sent this hour (it is held)', async () => {
    const answers = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const response = await service.postJson('/signup', { email: `${name}@budget.gov` });
      answers.push([response.status, await response.json()]);
    }

    expect(answers).toEqual(['a', 'b', 'c', 'd'].map((name) => [202, { status: 'verification_sent', email: `${name}@budget.gov` }]));
    expect((await service.emails()).filter((email) => email.destination.to[0]?.endsWith('@budget.gov'))).toHaveLength(2);
    expect(service.output.some((line) => line.includes('email held: budget spent'))).toBe(true);
  });

  it('token POSTs have their own per-client budget (RATE_LIMIT_TOKEN_IP_PER_HOUR) → 429 with Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await service.postJson('/verify', { token: `guess-${i}` })).status);
    const limited = await service.postJson('/sponsorships/decision', { token: 'guess', decision: 'approve' });

    expect(statuses).toEqual([400, 400, 400, 429]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The anonymous budget is another one: sign-ups from the same client are not refused.
    expect((await service.postJson('/signup', { email: 'still@budget.gov' })).status).toBe(202);
  });
});

describe('the reputation breaker', () => {
  const breakerKey = { pk: 'BREAKER#reputation', sk: 'BREAKER' };

  it('open: anonymous sign-ups answer 202 and send nothing, a contractor’s confirmed click still emails the sponsor; closed: sends resume', async () => {
    // Fresh budgets for this test's own emails: a second service with roomy limits.
    const local = await LocalService.start();
    try {
      const contractor = {
        email: 'c@breaker-test.com',
        name: 'C',
        company: 'Acme',
        sponsorEmail: 'boss@breaker.gov',
        justification: 'Work',
      };
      expect((await local.postJson('/sponsorships', contractor)).status).toBe(202);
      const token = await local.latestToken(contractor.email);
      await local
        .documentClient()
        .send(
          new PutCommand({ TableName: 'sandbox-gatekeeper', Item: { ...breakerKey, reason: 'test', openedAt: new Date().toISOString() } }),
        );

      const held = await local.postJson('/signup', { email: 'held@breaker.gov' });
      expect([held.status, await held.json()]).toEqual([202, { status: 'verification_sent', email: 'held@breaker.gov' }]);
      expect(await local.emailsTo('held@breaker.gov')).toEqual([]);
      expect((await local.postJson('/verify', { token })).status).toBe(200);
      expect(await local.emailsTo('boss@breaker.gov')).toHaveLength(1);

      await local.documentClient().send(new DeleteCommand({ TableName: 'sandbox-gatekeeper', Key: breakerKey }));
      expect((await local.postJson('/signup', { email: 'held@breaker.gov' })).status).toBe(202);
      expect(await local.emailsTo('held@breaker.gov')).toHaveLength(1);
    } finally {
      await local.dispose();
    }
  });
});
