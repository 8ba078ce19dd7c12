import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedCall, RecordingProxy, sequentialRoundTrips, shownWaves, waves } from '../../infra/harness/dynamodb-recorder';
import { LocalService } from '../support/local-service';
import { emailedToken, requestAccess } from '../support/mail-links';
import { decideAs, signInByCode } from '../support/sponsor-session';

/**
 * The sequential round trips to DynamoDB of a confirmation and a decision, on the wire (see
 * round-trips.test.ts): which reads go out beside the client's counter, and that no read of the
 * account precedes its conditional write.
 */
let host: LocalService;
let proxy: RecordingProxy;
let service: LocalService;

beforeAll(async () => {
  host = await LocalService.start();
  proxy = await RecordingProxy.start(host.dynamodbEndpoint);
  service = await LocalService.start({
    DYNAMODB_ENDPOINT: proxy.endpoint,
    SES_ENDPOINT: host.mailboxUrl,
    SWEEP_INTERVAL_SECONDS: '3600',
  });
  expect((await service.postJson('/signup', { email: 'first@agency.gov' })).status).toBe(202);
  expect((await service.postJson('/verify', { token: await emailedToken(host, 'first@agency.gov', '/verify') })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await service?.dispose();
  await proxy?.close();
  await host?.dispose();
});

const shown = shownWaves;
const recorded = (request: () => Promise<Response>) => proxy.request(request);

/** What a call touched: `LIMIT#<kind>` for a counter, else the item family (`ACCOUNT`, `SPONSOR`…), or `Query`. */
const family = (call: RecordedCall) => {
  const parts = call.pk?.split('#') ?? [call.operation];
  return parts[0] === 'LIMIT' ? parts.slice(0, 2).join('#') : parts[0]!;
};

describe('sequential round trips of the links people click', () => {
  it('a confirmation makes 2: the client counter beside the index read, then the one conditional write', async () => {
    await service.postJson('/signup', { email: 'confirming@agency.gov' });
    const token = await emailedToken(host, 'confirming@agency.gov', '/verify');
    const { status, calls } = await recorded(() => service.postJson('/verify', { token }));
    expect(status).toBe(200);
    expect(sequentialRoundTrips(calls), shown(calls)).toBe(2);
    expect(waves(calls)[0]!.map(family).sort(), shown(calls)).toEqual(['LIMIT#token', 'Query']);
    // No read of the account item: the write's condition on the version read carries the check.
    expect(
      calls.filter((call) => call.operation === 'GetItem'),
      shown(calls),
    ).toEqual([]);
  });

  it('a contractor’s confirmation: the counter beside the index read, and no read of the account before its write', async () => {
    const token = await requestAccess(service, host, 'casey@acme-corp.com', 'sam.sponsor@agency.gov');
    const { status, calls } = await recorded(() => service.postJson('/verify', { token }));
    expect(status).toBe(200);
    expect(waves(calls)[0]!.map(family).sort(), shown(calls)).toEqual(['LIMIT#token', 'Query']);
    expect(sequentialRoundTrips(calls), shown(calls)).toBeLessThanOrEqual(6);
    expect(
      calls.filter((call) => call.operation === 'GetItem' && family(call) === 'ACCOUNT'),
      shown(calls),
    ).toEqual([]);
  });

  it('a decision: the counter beside the session’s standing, and no read of the account before its write', async () => {
    await requestAccess(service, host, 'dana@acme-corp.com', 'sue.sponsor@agency.gov').then((token) =>
      service.postJson('/verify', { token }),
    );
    const review = await emailedToken(host, 'sue.sponsor@agency.gov', '/sponsorships/review');
    const session = await signInByCode(service, 'sue.sponsor@agency.gov', host);
    const { status, calls } = await recorded(() => decideAs(service, session, { token: review, decision: 'approve' }));
    expect(status).toBe(200);
    expect(waves(calls)[0]!.map(family).sort(), shown(calls)).toEqual(['LIMIT#token', 'SPONSOR']);
    expect(sequentialRoundTrips(calls), shown(calls)).toBeLessThanOrEqual(5);
    expect(
      calls.filter((call) => call.operation === 'GetItem' && family(call) === 'ACCOUNT'),
      shown(calls),
    ).toEqual([]);
  });
});
