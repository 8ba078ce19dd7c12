import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../support/admin-cli';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { emailedToken, requestAccess } from '../support/mail-links';
import { approvedContractor, decideAs, signInByCode } from '../support/sponsor-session';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The operator's changes and retries as the sandbox sees them: `npm start` with a real webhook
 * receiver, its sweep every second, and `npm run admin` against it.
 */
describe('npm run admin: what the sandbox is told', () => {
  let service: LocalService;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  let secret: string;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    service = await LocalService.start({
      WEBHOOK_URL: receiver.url,
      WEBHOOK_RETRY_SECONDS: '1',
      WEBHOOK_MAX_ATTEMPTS: '2',
      SWEEP_INTERVAL_SECONDS: '1',
    });
    secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
    env = { DYNAMODB_ENDPOINT: service.dynamodbEndpoint, SES_ENDPOINT: service.mailboxUrl, DATA_DIR: service.dataDir };
  });
  afterAll(async () => {
    await service.dispose();
    await receiver.close();
  });

  it('a webhook event that ran out of attempts is listed as failed, and once retried reaches the sandbox with its own id', async () => {
    receiver.failNext = 1_000;
    await service.postJson('/signup', { email: 'heard@agency.gov' });
    await service.postJson('/verify', { token: await emailedToken(service, 'heard@agency.gov', '/verify') });
    const failed = await eventually(
      async () =>
        JSON.parse((await admin(['--format', 'json', 'deliveries', 'list', '--failed'], env)).stdout) as Record<string, unknown>[],
      (rows) => rows.length > 0,
      30_000,
    );
    expect(failed).toEqual([expect.objectContaining({ account: 'heard@agency.gov', attempts: 2, lastError: 'HTTP 500' })]);
    const refusedIds = new Set(receiver.received.map((request) => request.id));
    expect(refusedIds.size, 'one event, the same id on every attempt').toBe(1);

    receiver.failNext = 0;
    const retried = await admin(['--yes', 'deliveries', 'retry', 'heard@agency.gov'], env);
    expect([retried.code, retried.stdout]).toEqual([0, '1 deliveries of heard@agency.gov will be attempted again by the sweep.\n']);
    const events = await eventually(
      async () => receiver.acknowledged(secret),
      (acknowledged) => acknowledged.length > 0,
      30_000,
    );
    expect(events.map((event) => [event.type, event.data.email, event.data.by])).toEqual([['access.granted', 'heard@agency.gov', 'self']]);
    expect(refusedIds.has(receiver.received.at(-1)!.id), 'the retry keeps the event’s webhook-id').toBe(true);
    expect(JSON.parse((await admin(['--format', 'json', 'deliveries', 'list', '--failed'], env)).stdout)).toEqual([]);
  }, 90_000);

  it('a failed event older than one the sandbox already has is dropped by a retry, never re-sent after it', async () => {
    receiver.failNext = 1_000;
    await service.postJson('/signup', { email: 'late@agency.gov' });
    await service.postJson('/verify', { token: await emailedToken(service, 'late@agency.gov', '/verify') });
    await eventually(
      async () => JSON.parse((await admin(['--format', 'json', 'deliveries', 'list', '--failed'], env)).stdout) as unknown[],
      (rows) => rows.length > 0,
      30_000,
    );
    receiver.failNext = 0;
    const ofLate = () => receiver.acknowledged(secret).filter((event) => event.data.email === 'late@agency.gov');
    expect((await admin(['--yes', '--as', 'alice', 'revoke', 'late@agency.gov', '--reason', 'left'], env)).code).toBe(0);
    await eventually(
      async () => ofLate(),
      (events) => events.length === 1,
      30_000,
    );

    const retried = await admin(['--yes', 'deliveries', 'retry', 'late@agency.gov'], env);
    expect([retried.code, retried.stdout]).toEqual([
      0,
      '1 failed events of late@agency.gov were dropped: the sandbox already has a newer event for it.\n0 deliveries of late@agency.gov will be attempted again by the sweep.\n',
    ]);
    // A newer event after the retry: had the old grant been queued again, the sweep would have sent it first.
    expect((await admin(['--yes', '--as', 'alice', 'reinstate', 'late@agency.gov', '--reason', 'back'], env)).code).toBe(0);
    const events = await eventually(
      async () => ofLate(),
      (found) => found.length === 2,
      30_000,
    );
    expect(events.map((event) => [event.type, event.data.by])).toEqual([
      ['access.revoked', 'operator:alice'],
      ['access.granted', 'operator:alice'],
    ]);
    expect(events[1]!.data.sequence, 'each newer event has a larger sequence').toBeGreaterThan(events[0]!.data.sequence);
  }, 90_000);

  it('an operator’s renewal of a contractor: a later end of access, the contractor emailed, access.renewed by the operator', async () => {
    await service.postJson('/verify', { token: await requestAccess(service, service, 'casey@acme-corp.com', 'pat@agency.gov') });
    const review = await emailedToken(service, 'pat@agency.gov', '/sponsorships/review');
    const sponsor = await signInByCode(service, 'pat@agency.gov');
    expect(await (await decideAs(service, sponsor, { token: review, decision: 'approve' })).json()).toEqual({
      status: 'approved',
      accessExpiresAt: expect.any(String),
    });
    const before = (
      JSON.parse((await admin(['--format', 'json', 'show', 'casey@acme-corp.com'], env)).stdout) as { accessExpiresAt: string }
    ).accessExpiresAt;

    const renewed = await admin(
      ['--yes', '--as', 'alice', '--format', 'json', 'renew', 'casey@acme-corp.com', '--seconds', '7776000'],
      env,
    );
    expect(renewed.code).toBe(0);
    const { accessExpiresAt } = JSON.parse(renewed.stdout) as { status: string; accessExpiresAt: string };
    expect(Date.parse(accessExpiresAt) - Date.parse(before)).toBe(7_776_000_000);
    expect((await service.emailsTo('casey@acme-corp.com')).at(-1)?.subject).toBe('Your sandbox access is renewed');
    const renewal = await eventually(
      async () => receiver.acknowledged(secret).filter((event) => event.type === 'access.renewed'),
      (found) => found.length > 0,
      30_000,
    );
    expect(renewal.map((event) => [event.data.email, event.data.accessExpiresAt, event.data.by])).toEqual([
      ['casey@acme-corp.com', accessExpiresAt, 'operator:alice'],
    ]);
  }, 90_000);
});

describe('npm run admin sweep: the webhook secret where the service keeps it', () => {
  it('found through the npm start on DYNAMODB_PORT: its DATA_DIR’s settings and generated secret sign the event of the sweep’s own change', async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    // The service's own sweep stays out of the way: the operator's is the one that expires the access and tells the sandbox.
    const service = await LocalService.start({
      WEBHOOK_URL: receiver.url,
      WEBHOOK_RETRY_SECONDS: '1',
      SWEEP_INTERVAL_SECONDS: '3600',
      CONTRACTOR_ACCESS_SECONDS: '2',
    });
    try {
      const secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
      const contractor = 'due@acme-corp.com';
      await approvedContractor(service, service, contractor, 'due.sponsor@agency.gov');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const swept = await admin(['sweep'], {
        DYNAMODB_PORT: new URL(service.dynamodbEndpoint).port,
        DATA_DIR: service.dataDir,
        SES_ENDPOINT: service.mailboxUrl,
      });
      expect([swept.code, swept.stderr]).toEqual([0, expect.stringContaining('the running npm start')]);
      expect(receiver.acknowledged(secret).map((event) => [event.type, event.data.email, event.data.by])).toEqual([
        ['access.granted', contractor, 'sponsor:due.sponsor@agency.gov'],
        ['access.expired', contractor, 'system'],
      ]);
    } finally {
      await service.dispose();
      await receiver.close();
    }
  }, 60_000);
});
