import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLinkToken } from '../../functions/core/link-token';
import { eventually } from '../support/eventually';
import { FaultProxy } from '../support/fault-proxy';
import { LosingProxy } from '../support/http-fault-proxy';
import { LocalService } from '../support/local-service';
import { requestAccess } from '../support/mail-links';
import { decideAs, signInByCode } from '../support/sponsor-session';

/** Every request ends in bounded time with the true answer, whatever DynamoDB does (through npm start). */
let host: LocalService;
beforeAll(async () => {
  host = await LocalService.start();
});
afterAll(async () => {
  await host.dispose();
});

const tokenIn = (text: string | undefined) => /\/verify\?token=([A-Za-z0-9_.-]+)/.exec(text ?? '')?.[1];

describe('DynamoDB that accepts connections and never answers', () => {
  it('answers 503 with Retry-After within the function’s time, and recovers at once when DynamoDB does', async () => {
    const proxy = await FaultProxy.start(host.dynamodbEndpoint);
    const service = await LocalService.start({ DYNAMODB_ENDPOINT: proxy.endpoint, SES_ENDPOINT: host.mailboxUrl });
    try {
      expect(await (await service.fetch('/healthz?deep=1')).json()).toEqual({ status: 'ok', dynamodb: 'ok' });
      proxy.hang();
      // Liveness touches nothing; readiness says within a second that DynamoDB is not answering.
      const probed = Date.now();
      const [live, ready] = await Promise.all([service.fetch('/healthz'), service.fetch('/healthz?deep=1')]);
      expect([live.status, ready.status]).toEqual([200, 503]);
      expect(Date.now() - probed).toBeLessThan(2000);

      const started = Date.now();
      const stuck = await Promise.all(Array.from({ length: 20 }, (_, i) => service.postJson('/signup', { email: `hung${i}@agency.gov` })));
      const took = Date.now() - started;
      console.info(`20 sign-ups against a hung DynamoDB answered within ${took} ms`);
      expect(stuck.map((response) => response.status)).toEqual(Array(20).fill(503));
      expect(stuck[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(took).toBeLessThan(10_000);
      const clicked = Date.now();
      const click = await service.postJson('/verify', { token: newLinkToken() });
      console.info(`a confirmation click against a hung DynamoDB answered ${click.status} in ${Date.now() - clicked} ms`);
      expect(click.status).toBe(503);
      expect(Date.now() - clicked).toBeLessThan(10_000);

      proxy.up();
      const healed = Date.now();
      expect((await service.postJson('/signup', { email: 'after.hang@agency.gov' })).status).toBe(202);
      console.info(`first sign-up after healing answered in ${Date.now() - healed} ms`);
      expect(Date.now() - healed).toBeLessThan(3000);
    } finally {
      await service.dispose();
      await proxy.close();
    }
  }, 60_000);
});

describe('DynamoDB that applies a write and loses its answer', () => {
  let proxy: LosingProxy;
  let service: LocalService;
  beforeAll(async () => {
    proxy = await LosingProxy.start(host.dynamodbEndpoint);
    service = await LocalService.start({
      DYNAMODB_ENDPOINT: proxy.endpoint,
      SES_ENDPOINT: host.mailboxUrl,
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await service.dispose();
    await proxy.close();
  });

  it('a contractor’s confirmation and the sponsor’s decision whose answers are lost still ask the sponsor and tell the outcome', async () => {
    const contractor = 'lost.contractor@acme-corp.com';
    const sponsor = 'lost.sponsor@agency.gov';
    const verify = await requestAccess(service, host, contractor, sponsor);
    proxy.lose.set('PutItem', 1);
    expect(await (await service.postJson('/verify', { token: verify })).json()).toEqual({ status: 'awaiting_sponsor' });
    const review = /\/sponsorships\/review\?token=([A-Za-z0-9_.-]+)/.exec((await host.emailsTo(sponsor)).at(-1)?.body.text ?? '')?.[1];
    expect(review, 'the sponsor was asked').toBeDefined();
    const session = await signInByCode(service, sponsor, host);
    proxy.lose.set('PutItem', 1);
    const decision = await decideAs(service, session, { token: review!, decision: 'approve' });
    expect([decision.status, await decision.json()]).toEqual([200, { status: 'approved', accessExpiresAt: expect.any(String) }]);
    expect((await host.emailsTo(contractor)).at(-1)?.subject).toBe('Your sandbox access is approved');
  });

  it('throttling that outlasts the retries answers 503 with Retry-After within the budget', async () => {
    proxy.throttle.add('UpdateItem');
    const started = Date.now();
    const throttled = await service.postJson('/signup', { email: 'throttled@agency.gov' });
    const took = Date.now() - started;
    proxy.throttle.delete('UpdateItem');
    console.info(`sign-up under DynamoDB throttling answered ${throttled.status} in ${took} ms`);
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([503, expect.stringMatching(/^\d+$/)]);
    expect(took).toBeLessThan(5000);
  });

  it('a sign-up still emails, once; the person’s only click answers 200, not "already confirmed"', async () => {
    const email = 'lost.answer@agency.gov';
    const before = proxy.lost.length;
    proxy.lose.set('PutItem', 1);
    expect((await service.postJson('/signup', { email })).status).toBe(202);
    expect(proxy.lost.slice(before)).toEqual(['PutItem']);
    const mails = await host.emailsTo(email);
    expect(mails).toHaveLength(1);

    proxy.lose.set('PutItem', 1);
    const click = await service.postJson('/verify', { token: tokenIn(mails[0]!.body.text) });
    expect([click.status, await click.json()]).toEqual([200, { status: 'active' }]);
    expect(proxy.lost.slice(before)).toEqual(['PutItem', 'PutItem']);
  });
});

describe('SES that accepts connections and never answers', () => {
  it('a sign-up answers 202 within the send timeout, and the email follows when SES is back', { timeout: 60_000 }, async () => {
    const proxy = await FaultProxy.start(host.mailboxUrl);
    const service = await LocalService.start({ SES_ENDPOINT: proxy.endpoint, SWEEP_INTERVAL_SECONDS: '1', WEBHOOK_RETRY_SECONDS: '1' });
    try {
      proxy.hang();
      const started = Date.now();
      const answer = await service.postJson('/signup', { email: 'ses.hung@agency.gov' });
      const took = Date.now() - started;
      console.info(`sign-up with SES hung answered ${answer.status} in ${took} ms`);
      expect(answer.status).toBe(202);
      expect(took).toBeLessThan(9000);
      proxy.up();
      await eventually(
        () => host.emailsTo('ses.hung@agency.gov'),
        (emails) => emails.length === 1,
      );
    } finally {
      await service.dispose();
      await proxy.close();
    }
  });
});

describe('DynamoDB that fails after the client was counted', () => {
  it('a request that DynamoDB fails midway answers 503 and costs the client none of its hourly quota', { timeout: 30_000 }, async () => {
    // Its own emulators: the counters of the other services here (same client address) stay apart.
    const own = await LocalService.start();
    const failing = await LosingProxy.start(own.dynamodbEndpoint);
    const limited = await LocalService.start({
      DYNAMODB_ENDPOINT: failing.endpoint,
      SES_ENDPOINT: own.mailboxUrl,
      RATE_LIMIT_IP_PER_HOUR: '2',
    });
    try {
      // The client's hit is counted (UpdateItem), then the reads fail.
      failing.fail.add('GetItem');
      const failed = [];
      for (const i of [1, 2, 3]) failed.push((await limited.postJson('/signup', { email: `midway${i}@agency.gov` })).status);
      failing.fail.delete('GetItem');
      expect(failed, 'three requests in a row against a quota of two: each given back').toEqual([503, 503, 503]);
      const served = [];
      for (const i of [1, 2]) served.push((await limited.postJson('/signup', { email: `midway${i}@agency.gov` })).status);
      expect(served, 'the quota of 2 is whole again').toEqual([202, 202]);
      expect((await limited.postJson('/signup', { email: 'midway3@agency.gov' })).status).toBe(429);
    } finally {
      await limited.dispose();
      await failing.close();
      await own.dispose();
    }
  });
});
