import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND_LEASE_SECONDS } from '../../functions/core/outbox';
import { admin } from '../support/admin-cli';
import { eventually } from '../support/eventually';
import { LosingProxy } from '../support/http-fault-proxy';
import { LocalService } from '../support/local-service';
import { emailedToken } from '../support/mail-links';
import { approvedContractor, dashboardOf, manageAs, type SponsorSignIn } from '../support/sponsor-session';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * A state change whose write lands while every answer to it is lost (the SDK's own retries
 * included), through `npm start` with DynamoDB behind a proxy that loses answers: the change is
 * known for done when it is, said to be perhaps done when it cannot be known, and a retry of it
 * changes nothing more.
 */
let host: LocalService;
let proxy: LosingProxy;
let receiver: WebhookReceiver;
let service: LocalService;
let secret: string;
/** `npm run admin` on this service: its DynamoDB through the proxy, its DATA_DIR's settings. */
let operator: Record<string, string>;

/** Every try the SDK makes of one call: the first lands, its answer and its retries' are lost. */
const ALL_TRIES = 3;

beforeAll(async () => {
  host = await LocalService.start();
  proxy = await LosingProxy.start(host.dynamodbEndpoint);
  receiver = new WebhookReceiver();
  await receiver.start();
  service = await LocalService.start({
    DYNAMODB_ENDPOINT: proxy.endpoint,
    SES_ENDPOINT: host.mailboxUrl,
    WEBHOOK_URL: receiver.url,
    WEBHOOK_RETRY_SECONDS: '1',
    SWEEP_INTERVAL_SECONDS: '1',
    // A period short enough that a Renew a few seconds on moves the end (the slack of a click without `seen` is 1% of it).
    CONTRACTOR_ACCESS_SECONDS: '100',
    RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
    RATE_LIMIT_EMAIL_PER_DAY: '50',
  });
  secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
  operator = { DYNAMODB_ENDPOINT: proxy.endpoint, SES_ENDPOINT: host.mailboxUrl, DATA_DIR: service.dataDir };
}, 60_000);
afterAll(async () => {
  await service?.dispose();
  await proxy?.close();
  await receiver?.close();
  await host?.dispose();
});

async function approved(contractor: string, sponsor: string): Promise<{ session: SponsorSignIn; requestId: string; seen: string }> {
  const { session, requestId, accessExpiresAt } = await approvedContractor(service, host, contractor, sponsor);
  await settled(contractor, 'access.granted');
  return { session, requestId, seen: accessExpiresAt };
}

const eventsOf = (email: string, type: string) =>
  receiver.acknowledged(secret).filter((event) => event.data.email === email && event.type === type);
const emailsTitled = async (address: string, subject: string) =>
  (await host.emailsTo(address)).filter((email) => email.subject === subject);
/** The next write's answers are all lost, and from the first loss on every read fails too. */
function loseAllThenFailReads(): void {
  proxy.lose.set('PutItem', ALL_TRIES);
  proxy.onLost = () => proxy.fail.add('GetItem');
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What the sweep past the lease delivered is there well before the lease would have let npm start's sweep deliver it. */
const BEFORE_THE_LEASE_MS = (SEND_LEASE_SECONDS - 5) * 1000;
/**
 * What a change whose answers were lost owes (its emails, its events) is the sweep's to deliver once
 * the request's send lease has passed: the sweep run once by an operator whose clock is just past
 * that lease delivers it now, where npm start's own sweep would wait the lease out (15 s a change).
 */
async function sweepPastTheLease(): Promise<void> {
  const swept = await admin(['--format', 'json', 'sweep'], operator, { clockOffsetMs: (SEND_LEASE_SECONDS + 1) * 1000 });
  expect([swept.code, swept.stderr]).toEqual([0, expect.any(String)]);
}
/**
 * Until the sandbox has heard of the account's last change and the sweep has recorded it: the
 * sweep's own write to the account (its event delivered) would otherwise meet the answers the
 * test loses, or move the version the change under test is conditional on.
 */
async function settled(email: string, type: string): Promise<void> {
  await eventually(
    async () => eventsOf(email, type),
    (events) => events.length >= 1,
  );
  await pause(1500);
}

describe('a sponsor’s Renew whose write landed and whose every answer was lost', () => {
  it('is known for done: 200 with the new period, the emails sent at once, one event', async () => {
    const contractor = 'lost.renew@acme-corp.com';
    const { session, requestId, seen } = await approved(contractor, 'renews.lost@agency.gov');
    proxy.lose.set('PutItem', ALL_TRIES);
    const renew = await manageAs(service, session, { requestId, action: 'renew', seen });
    const body = (await renew.json()) as { status: string; accessExpiresAt: string };
    expect(proxy.lose.get('PutItem')).toBe(0);
    expect([renew.status, body.status]).toEqual([200, 'active']);
    expect(body.accessExpiresAt > seen).toBe(true);
    expect(await emailsTitled(contractor, 'Your sandbox access is renewed')).toHaveLength(1);
    await eventually(
      async () => eventsOf(contractor, 'access.renewed'),
      (events) => events.length === 1,
    );
  }, 60_000);

  it('not known (the read fails too): 503 that says it may have been made; the retry gives one period, one event, one email', async () => {
    const contractor = 'unknown.renew@acme-corp.com';
    const { session, requestId, seen } = await approved(contractor, 'renews.unknown@agency.gov');
    loseAllThenFailReads();
    const lost = await manageAs(service, session, { requestId, action: 'renew', seen });
    proxy.onLost = undefined;
    proxy.fail.delete('GetItem');
    const said = (await lost.json()) as { message?: string; error?: { message?: string } };
    expect(lost.status).toBe(503);
    expect(JSON.stringify(said)).toMatch(/may have been made/);
    expect(JSON.stringify(said)).not.toMatch(/Nothing was changed/i);

    // The sponsor tries again after Retry-After, from the same page.
    await pause(2000);
    const retry = await manageAs(service, session, { requestId, action: 'renew', seen });
    const answer = (await retry.json()) as { status: string; accessExpiresAt: string };
    expect([retry.status, answer.status]).toEqual([200, 'active']);
    const row = (await dashboardOf(service, session)).contractors.find((entry) => entry.requestId === requestId)!;
    expect(answer.accessExpiresAt, 'the period the first write gave').toBe(row.accessExpiresAt);
    // And once more without the page's `seen` (a script's retry): still that one period.
    const again = (await (await manageAs(service, session, { requestId, action: 'renew' })).json()) as { accessExpiresAt: string };
    expect(again.accessExpiresAt).toBe(row.accessExpiresAt);

    await sweepPastTheLease();
    await eventually(
      () => emailsTitled(contractor, 'Your sandbox access is renewed'),
      (emails) => emails.length >= 1,
      BEFORE_THE_LEASE_MS,
    );
    await eventually(
      async () => eventsOf(contractor, 'access.renewed'),
      (events) => events.length >= 1,
      BEFORE_THE_LEASE_MS,
    );
    await pause(3000);
    expect(await emailsTitled(contractor, 'Your sandbox access is renewed'), 'one email').toHaveLength(1);
    expect(eventsOf(contractor, 'access.renewed'), 'one event').toHaveLength(1);
    expect((await dashboardOf(service, session)).contractors.find((entry) => entry.requestId === requestId)?.accessExpiresAt).toBe(
      row.accessExpiresAt,
    );
  }, 90_000);
});

describe('a sponsor’s End access whose write landed and whose answers were lost', () => {
  it('says it may have been made; the retry changes nothing more and answers where it stands (409 revoked); one event, one email', async () => {
    const contractor = 'lost.end@acme-corp.com';
    const { session, requestId } = await approved(contractor, 'ends.lost@agency.gov');
    loseAllThenFailReads();
    const lost = await manageAs(service, session, { requestId, action: 'end', confirmed: 'yes' });
    proxy.onLost = undefined;
    proxy.fail.delete('GetItem');
    expect([lost.status, JSON.stringify(await lost.json())]).toEqual([503, expect.stringContaining('may have been made')]);
    // Of two End clicks one ends the access and the other is told where it stands (docs/design.md): a retry is the other.
    const retry = await manageAs(service, session, { requestId, action: 'end', confirmed: 'yes' });
    expect([retry.status, await retry.json()]).toEqual([409, expect.objectContaining({ error: 'invalid_state', status: 'revoked' })]);
    await sweepPastTheLease();
    await eventually(
      async () => eventsOf(contractor, 'access.revoked'),
      (events) => events.length === 1,
      BEFORE_THE_LEASE_MS,
    );
    await eventually(
      () => emailsTitled(contractor, 'Your sandbox access was ended'),
      (emails) => emails.length === 1,
      BEFORE_THE_LEASE_MS,
    );
  }, 60_000);
});

describe('an operator’s revoke and reinstate whose writes landed and whose answers were lost (npm run admin)', () => {
  it('unknown: says it may have been made, and the retry changes nothing more (one email); a reinstate is known for done', async () => {
    const email = 'operated.lost@agency.gov';
    await service.postJson('/signup', { email });
    await service.postJson('/verify', { token: await emailedToken(host, email, '/verify') });
    await settled(email, 'access.granted');
    const revoke = ['--yes', '--as', 'alice', '--format', 'json', 'revoke', email, '--reason', 'Left the agency'];

    loseAllThenFailReads();
    const lost = await admin(revoke, operator);
    proxy.onLost = undefined;
    proxy.fail.delete('GetItem');
    expect([lost.code, lost.stderr]).toEqual([1, expect.stringContaining('may have been made')]);

    // The revoke was made: the retry changes nothing more, and says where the account stands.
    const retried = await admin(revoke, operator);
    expect([retried.code, retried.stderr]).toEqual([1, expect.stringContaining('it is revoked')]);
    await sweepPastTheLease();
    await eventually(
      () => emailsTitled(email, 'Your sandbox access was ended'),
      (emails) => emails.length === 1,
      BEFORE_THE_LEASE_MS,
    );

    proxy.lose.set('PutItem', ALL_TRIES);
    const reinstated = await admin(['--yes', '--as', 'alice', '--format', 'json', 'reinstate', email, '--reason', 'Back'], operator);
    expect([reinstated.code, JSON.parse(reinstated.stdout || '{}')]).toEqual([0, { status: 'active' }]);
    expect(proxy.lose.get('PutItem')).toBe(0);
    expect(await emailsTitled(email, 'Your sandbox access is back')).toHaveLength(1);
    await pause(2000);
    expect(await emailsTitled(email, 'Your sandbox access was ended'), 'one email of the revoke').toHaveLength(1);
  }, 90_000);
});
