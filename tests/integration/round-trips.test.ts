import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWrite, type RecordedCall, RecordingProxy, sequentialRoundTrips, shownWaves, waves } from '../../infra/harness/dynamodb-recorder';
import { LocalService } from '../support/local-service';

/**
 * The sequential round trips to DynamoDB of the anonymous requests, on the wire: `npm start` with
 * DynamoDB behind a proxy that records each call (and holds each answer a little, so calls made
 * together overlap and calls made in turn cannot).
 */
let host: LocalService;
let proxy: RecordingProxy;
let service: LocalService;

/** Enough for the requests before the last test, which spends the rest. */
const PER_HOUR = 8;

beforeAll(async () => {
  host = await LocalService.start();
  proxy = await RecordingProxy.start(host.dynamodbEndpoint);
  service = await LocalService.start({
    DYNAMODB_ENDPOINT: proxy.endpoint,
    SES_ENDPOINT: host.mailboxUrl,
    // Nothing else on the table while a request is recorded.
    SWEEP_INTERVAL_SECONDS: '3600',
    RATE_LIMIT_IP_PER_HOUR: String(PER_HOUR),
  });
  // The first request of a process warms what is read once (the registry's snapshot, the clients).
  expect((await service.postJson('/signup', { email: 'first@agency.gov' })).status).toBe(202);
}, 60_000);
afterAll(async () => {
  await service?.dispose();
  await proxy?.close();
  await host?.dispose();
});

const shown = shownWaves;
const recorded = (request: () => Promise<Response>) => proxy.request(request);

describe('sequential round trips to DynamoDB', () => {
  it('a new address’s sign-up makes at most 4: the client counter beside the reads', async () => {
    const { status, calls } = await recorded(() => service.postJson('/signup', { email: 'new.person@agency.gov' }));
    expect(status).toBe(202);
    expect(sequentialRoundTrips(calls), shown(calls)).toBeLessThanOrEqual(4);
    // The counter went out with the reads, in the first wave.
    expect(
      waves(calls)[0]!.map((call) => call.pk?.split('#').slice(0, 2).join('#')),
      shown(calls),
    ).toContain('LIMIT#ip');
    expect(await host.emailsTo('new.person@agency.gov')).toHaveLength(1);
  });

  it('a contractor’s request makes at most 4 too', async () => {
    const { status, calls } = await recorded(() =>
      service.postJson('/sponsorships', {
        email: 'casey@acme-corp.com',
        name: 'Casey Contractor',
        company: 'Acme',
        sponsorEmail: 'sam.sponsor@agency.gov',
        justification: 'Integration testing.',
      }),
    );
    expect(status).toBe(202);
    expect(sequentialRoundTrips(calls), shown(calls)).toBeLessThanOrEqual(4);
    expect(await host.emailsTo('casey@acme-corp.com')).toHaveLength(1);
  });

  it('a malformed request is still counted, and answered 400', async () => {
    const { status, calls } = await recorded(() =>
      service.fetch('/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' }),
    );
    expect(status).toBe(400);
    expect(calls.filter(isWrite).map((call) => call.pk?.split('#').slice(0, 2).join('#'))).toEqual(['LIMIT#ip']);
  });

  it('a limited client gets 429 whatever its request, and nothing but its counter is charged: no budget, no allowance, no account', async () => {
    let limited: { status: number; calls: RecordedCall[] } | undefined;
    for (let i = 0; i < PER_HOUR && !limited; i++) {
      const answer = await recorded(() => service.postJson('/signup', { email: `spender${i}@agency.gov` }));
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(202);
    }
    expect(limited?.status).toBe(429);
    expect(limited!.calls.filter(isWrite).map((call) => call.pk?.split('#').slice(0, 2).join('#'))).toEqual(['LIMIT#ip']);
    // Refused for the limit, not for its body: a form that would be refused as invalid is 429 too, and charges nothing either.
    for (const email of ['not an address', 'someone@unlisted-domain.gov']) {
      const refused = await recorded(() => service.postJson('/signup', { email }));
      expect(refused.status).toBe(429);
      expect(refused.calls.filter(isWrite).map((call) => call.pk?.split('#').slice(0, 2).join('#'))).toEqual(['LIMIT#ip']);
    }
  });
});
