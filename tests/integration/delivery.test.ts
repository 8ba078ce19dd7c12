import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { itemKeys } from '../../functions/service/table';
import { eventually } from '../support/eventually';
import { FaultProxy } from '../support/fault-proxy';
import { LocalService } from '../support/local-service';
import { emailedToken, requestAccess, tokenIn } from '../support/mail-links';
import { dashboardOf, decideAs, manageAs, signInByCode } from '../support/sponsor-session';
import { scanItems } from '../support/table-scan';
import { WebhookReceiver } from '../support/webhook-receiver';

const TABLE = 'sandbox-gatekeeper';

const accountIn = (service: LocalService, email: string) =>
  service
    .documentClient()
    .send(new GetCommand({ TableName: TABLE, Key: itemKeys.account(email), ConsistentRead: true }))
    .then(({ Item }) => Item as Account | undefined);

describe('nothing lost: SES behind a fault-injecting proxy, a webhook receiver, a restart', () => {
  let host: LocalService;
  let proxy: FaultProxy;
  let receiver: WebhookReceiver;
  let service: LocalService;
  let secret: string;

  beforeAll(async () => {
    host = await LocalService.start();
    proxy = await FaultProxy.start(host.mailboxUrl);
    receiver = new WebhookReceiver();
    await receiver.start();
    service = await LocalService.start({
      SES_ENDPOINT: proxy.endpoint,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_RETRY_SECONDS: '1',
      WEBHOOK_MAX_ATTEMPTS: '3',
      SWEEP_INTERVAL_SECONDS: '1',
      CONTRACTOR_ACCESS_SECONDS: '8',
      RENEWAL_NOTICE_SECONDS: '2',
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
      RATE_LIMIT_EMAIL_PER_DAY: '50',
    });
    secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
  });
  afterAll(async () => {
    await service.dispose();
    await proxy.close();
    await receiver.close();
    await host.dispose();
  });

  it('SES down during a sign-up: 202, nothing sent; SES back: the email arrives once, and its link works', async () => {
    const email = 'outage.signup@agency.gov';
    proxy.down();
    expect((await service.postJson('/signup', { email })).status).toBe(202);
    expect(await host.emailsTo(email)).toHaveLength(0);
    expect((await accountIn(service, email))?.outbox?.map((delivery) => delivery.attempts)).toEqual([1]);

    const back = Date.now();
    proxy.up();
    const [mail] = await eventually(
      () => host.emailsTo(email),
      (emails) => emails.length > 0,
    );
    console.info(`email delivered ${((Date.now() - back) / 1000).toFixed(1)} s after SES came back`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await host.emailsTo(email), 'sent once').toHaveLength(1);
    const confirmed = await service.postJson('/verify', { token: tokenIn(mail!.body.text, '/verify') });
    expect(await confirmed.json()).toEqual({ status: 'active' });
    expect(((await accountIn(service, email))?.outbox ?? []).filter((delivery) => delivery.channel === 'email')).toEqual([]);
  }, 60_000);

  it('SES down when a contractor confirms: the sponsor is asked once SES is back, and the approval link works', async () => {
    const contractor = 'casey.outage@acme-corp.com';
    const sponsor = 'pat.outage@agency.gov';
    const link = await requestAccess(service, host, contractor, sponsor);
    proxy.down();
    expect(await (await service.postJson('/verify', { token: link })).json()).toEqual({ status: 'awaiting_sponsor' });
    expect(await host.emailsTo(sponsor)).toHaveLength(0);
    proxy.up();
    const review = await emailedToken(host, sponsor, '/sponsorships/review');
    const session = await signInByCode(service, sponsor, host);
    const decision = await decideAs(service, session, { token: review, decision: 'approve' });
    expect(await decision.json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });
  }, 60_000);

  it('tells the sandbox of grant, renewal, revocation and expiry: signed, retried with the same webhook-id, in order per account', async () => {
    receiver.failNext = 1;
    const sponsor = 'rory.hooks@agency.gov';
    const session = await signInByCode(service, sponsor, host);
    const approve = async (contractor: string) => {
      await service.postJson('/verify', { token: await requestAccess(service, host, contractor, sponsor) });
      const review = await emailedToken(host, sponsor, '/sponsorships/review', 'names you');
      expect((await decideAs(service, session, { token: review, decision: 'approve' })).status).toBe(200);
    };
    await approve('kept.hooks@acme-corp.com');
    await approve('lapsed.hooks@acme-corp.com');
    const list = await dashboardOf(service, session);
    const kept = list.contractors.find((row) => row.email === 'kept.hooks@acme-corp.com')!;
    // Access a period ahead is not renewed (nothing to tell): once it has run out, Renew brings it back.
    await eventually(
      () => accountIn(service, 'kept.hooks@acme-corp.com'),
      (account) => account?.status === 'expired',
    );
    expect((await manageAs(service, session, { requestId: kept.requestId, action: 'renew' })).status).toBe(200);
    expect((await manageAs(service, session, { requestId: kept.requestId, action: 'end' })).status).toBe(200);

    // Until the expiry is told, and the request refused at first has come again and been acknowledged.
    const refusedId = () => receiver.received.find((request) => request.answered === 500)?.id;
    const events = await eventually(
      async () => receiver.acknowledged(secret),
      (acknowledged) =>
        acknowledged.some((event) => event.type === 'access.expired' && event.data.email === 'lapsed.hooks@acme-corp.com') &&
        acknowledged.some((event) => event.type === 'access.revoked' && event.data.email === 'kept.hooks@acme-corp.com') &&
        receiver.received.some((request) => request.id === refusedId() && request.answered < 300),
      90_000,
    );
    const of = (email: string) => events.filter((event) => event.data.email === email).map((event) => event.type);
    expect(of('kept.hooks@acme-corp.com')).toEqual(['access.granted', 'access.expired', 'access.renewed', 'access.revoked']);
    expect(of('lapsed.hooks@acme-corp.com')).toEqual(['access.granted', 'access.expired']);
    expect(events.find((event) => event.type === 'access.revoked')?.data).toMatchObject({
      status: 'revoked',
      sponsor,
      by: `sponsor:${sponsor}`,
    });
    // The refused first request came again with the same id, and each id was acknowledged once.
    const [refused] = receiver.received.filter((request) => request.answered === 500);
    expect(receiver.received.filter((request) => request.id === refused!.id).map((request) => request.answered)).toEqual([500, 204]);
    const acknowledgedIds = receiver.received.filter((request) => request.answered < 300).map((request) => request.id);
    expect(new Set(acknowledgedIds).size).toBe(acknowledgedIds.length);
  }, 150_000);

  it('a receiver that never acknowledges: the event is failed after its last attempt, kept and visible in the account', async () => {
    receiver.failNext = 1_000;
    const email = 'unheard@agency.gov';
    await service.postJson('/signup', { email });
    const token = tokenIn(
      (
        await eventually(
          () => host.emailsTo(email),
          (emails) => emails.length > 0,
        )
      )[0]!.body.text,
      '/verify',
    );
    await service.postJson('/verify', { token });
    const account = await eventually(
      () => accountIn(service, email),
      (found) => found?.outbox?.some((delivery) => delivery.channel === 'webhook' && delivery.failed === true) === true,
      60_000,
    );
    const [failed] = account!.outbox!;
    expect([failed!.attempts, failed!.lastError]).toEqual([3, 'HTTP 500']);
    // No delivery is due any more: the account's next duty is its dormancy warning, a year on.
    expect(account!.dueAt, 'nothing more is due but the dormancy warning').toBe(account!.dormancyWarnings?.[0]);
    expect(account!.dueAt! * 1000).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    receiver.failNext = 0;
  }, 90_000);
});

describe('a restart after SIGKILL', () => {
  let host: LocalService;
  let proxy: FaultProxy;
  let service: LocalService;
  beforeAll(async () => {
    host = await LocalService.start();
    proxy = await FaultProxy.start(host.mailboxUrl);
    service = await LocalService.start({
      SES_ENDPOINT: proxy.endpoint,
      SWEEP_INTERVAL_SECONDS: '1',
      WEBHOOK_RETRY_SECONDS: '1',
      RATE_LIMIT_IP_PER_HOUR: '1000',
    });
  });
  afterAll(async () => {
    await service.dispose();
    await proxy.close();
    await host.dispose();
  });

  it('with 50 sign-ups and confirmations in flight loses no account and no owed email', async () => {
    const earlier = Array.from({ length: 25 }, (_, i) => `early${i}@agency.gov`);
    for (const email of earlier) await service.postJson('/signup', { email });
    const tokens = await Promise.all(
      earlier.map((email) => eventually(async () => tokenIn((await host.emailsTo(email))[0]?.body.text, '/verify'), Boolean)),
    );
    const fresh = Array.from({ length: 25 }, (_, i) => `late${i}@agency.gov`);
    // SES accepts connections and never answers: the writes land, the sends hang, and the kill comes between.
    proxy.hang();
    const inFlight = [
      ...fresh.map((email) => service.postJson('/signup', { email }).catch(() => undefined)),
      ...tokens.map((token) => service.postJson('/verify', { token }).catch(() => undefined)),
    ];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const t0 = Date.now();
    await service.kill();
    await Promise.all(inFlight);
    console.info(`killed; requests settled after ${Date.now() - t0} ms`);
    proxy.down(); // drops the hung connections
    proxy.up();
    await service.boot();
    const scan = async () => (await scanItems(service.documentClient(), TABLE, 'ACCOUNT#')) as unknown as Account[];
    const owed = (await scan()).flatMap((account) => (account.outbox ?? []).filter((delivery) => delivery.channel === 'email'));

    // Every owed email goes out: no account keeps an undelivered intent.
    const accounts = await eventually(
      scan,
      (items) => items.every((account) => !(account.outbox ?? []).some((delivery) => !delivery.failed)),
      60_000,
    );
    console.info(`outboxes empty ${Date.now() - t0} ms after the kill`);
    const mails = await Promise.all(fresh.map((email) => host.emailsTo(email)));
    console.info(
      `after SIGKILL: ${accounts.length} accounts, ${owed.length} emails owed at restart and sent by the sweep, ` +
        `${mails.filter((list) => list.length > 1).length} addresses got a second copy`,
    );
    for (const account of accounts) {
      expect(['pending', 'active'], account.email).toContain(account.status);
      if (account.status === 'pending') {
        const latest = tokenIn((await host.emailsTo(account.email)).at(-1)?.body.text, '/verify');
        const confirmed = await service.postJson('/verify', { token: latest });
        expect([account.email, (await confirmed.json()) as unknown]).toEqual([account.email, { status: 'active' }]);
      }
    }
    expect(accounts.filter((account) => earlier.includes(account.email))).toHaveLength(25);
  }, 120_000);
});

describe('DynamoDB behind a fault-injecting proxy', () => {
  it('answers 503 with Retry-After while it is down, and works again when it is back', async () => {
    const host = await LocalService.start();
    const proxy = await FaultProxy.start(host.dynamodbEndpoint);
    const service = await LocalService.start({ DYNAMODB_ENDPOINT: proxy.endpoint, SES_ENDPOINT: host.mailboxUrl });
    try {
      proxy.down();
      const refused = await service.postJson('/signup', { email: 'db.down@agency.gov' });
      expect([refused.status, refused.headers.get('retry-after'), ((await refused.json()) as { error: string }).error]).toEqual([
        503,
        expect.stringMatching(/^\d+$/),
        'service_unavailable',
      ]);
      proxy.up();
      expect((await service.postJson('/signup', { email: 'db.down@agency.gov' })).status).toBe(202);
    } finally {
      await service.dispose();
      await proxy.close();
      await host.dispose();
    }
  }, 60_000);
});
