import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterPage } from '../../functions/core/roster';
import { itemKeys } from '../../functions/service/table';
import { admin } from '../support/admin-cli';
import { LocalService } from '../support/local-service';
import { type Key, signedFetch } from '../support/signed-fetch';
import { WebhookReceiver } from '../support/webhook-receiver';

const ACTIVE = ['ana@agency.gov', 'ben@agency.gov', 'cy@agency.gov', 'di@agency.gov'];
const REVOKED = 'ed@agency.gov';

describe('the sandbox’s machine routes (SigV4) through npm start', () => {
  const receiver = new WebhookReceiver();
  let service: LocalService;
  let key: Key;
  let revokedAfter: string;
  beforeAll(async () => {
    await receiver.start();
    service = await LocalService.start({ WEBHOOK_URL: receiver.url, RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
    key = JSON.parse(readFileSync(join(service.dataDir, 'sandbox-key.json'), 'utf8')) as Key;
    for (const email of [...ACTIVE, REVOKED]) {
      await service.postJson('/signup', { email });
      await service.postJson('/verify', { token: await service.latestToken(email) });
    }
    await service.postJson('/signup', { email: 'pending@agency.gov' });
    // The sandbox's receiver is down when the revocation is made: the roster still tells it.
    receiver.failNext = 1_000;
    revokedAfter = new Date().toISOString();
    const env = {
      DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
      SES_ENDPOINT: service.mailboxUrl,
      DATA_DIR: service.dataDir,
      PORT: new URL(service.baseUrl).port,
    };
    expect((await admin(['--yes', 'revoke', REVOKED, '--reason', 'Left'], env)).code).toBe(0);
  }, 90_000);
  afterAll(async () => {
    await service.dispose();
    await receiver.close();
  });

  it('pages the roster two at a time, ending with exactly who may enter', async () => {
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const answer = await signedFetch(service, key, 'GET', `/v1/accounts?status=active&count=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      const page = (await answer.json()) as RosterPage;
      expect(page.Resources.length).toBeLessThanOrEqual(2);
      expect(page.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
      seen.push(...page.Resources.map((entry) => entry.userName));
      cursor = page.nextCursor ?? '';
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(ACTIVE);
  });

  it('shows a revocation made while the webhook receiver was down through changedSince', async () => {
    const answer = await signedFetch(service, key, 'GET', `/v1/accounts?changedSince=${encodeURIComponent(revokedAfter)}`);
    const page = (await answer.json()) as RosterPage;
    expect(page.Resources.map((entry) => [entry.userName, entry.active, entry.status])).toEqual([[REVOKED, false, 'revoked']]);
    expect(page.Resources[0]).toMatchObject({
      kind: 'agency',
      agency: { organization: 'Test Agency (agency.gov)' },
      meta: { resourceType: 'User' },
    });
    const revocations = receiver.received.filter((delivery) => (JSON.parse(delivery.body) as { type: string }).type === 'access.revoked');
    expect(
      revocations.map((delivery) => delivery.answered),
      'tried at once, and refused',
    ).toEqual([500]);
  });

  it('records activity reports, moving only forward, and says nothing of unknown addresses', async () => {
    const report = {
      activity: [
        { email: 'Ana@Agency.gov', lastSeenAt: '2030-01-01T00:00:00Z' },
        { email: 'nobody@agency.gov', lastSeenAt: '2030-01-01T00:00:00Z' },
      ],
    };
    const answer = await signedFetch(service, key, 'POST', '/v1/activity', { body: report });
    expect([answer.status, await answer.json()]).toEqual([200, { accepted: 2 }]);
    const lastSeen = async () =>
      (
        await service
          .documentClient()
          .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.account('ana@agency.gov'), ConsistentRead: true }))
      ).Item?.lastSeenAt;
    const first = await lastSeen();
    expect(Date.parse(first)).toBeLessThanOrEqual(Date.now());
    await signedFetch(service, key, 'POST', '/v1/activity', {
      body: { activity: [{ email: 'ana@agency.gov', lastSeenAt: '2020-01-01T00:00:00Z' }] },
    });
    expect(await lastSeen()).toBe(first);
  });

  it('refuses a request without a signature (401), or signed wrongly (403), and changes nothing', async () => {
    const report = { activity: [{ email: 'ben@agency.gov', lastSeenAt: new Date().toISOString() }] };
    const unsigned = await service.postJson('/v1/activity', report, { origin: service.baseUrl });
    const otherKey = await signedFetch(
      service,
      { accessKeyId: key.accessKeyId, secretAccessKey: 'not-the-secret' },
      'POST',
      '/v1/activity',
      { body: report },
    );
    const otherRegion = await signedFetch(service, key, 'GET', '/v1/accounts', { region: 'eu-west-1' });
    const stale = await signedFetch(service, key, 'GET', '/v1/accounts', { date: new Date(Date.now() - 10 * 60_000) });
    expect([unsigned.status, otherKey.status, otherRegion.status, stale.status]).toEqual([401, 403, 403, 403]);
    const ben = await service
      .documentClient()
      .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.account('ben@agency.gov'), ConsistentRead: true }));
    expect(ben.Item?.lastSeenAt).toBeUndefined();
  });

  it('answers a bad query or body with 400 naming it', async () => {
    const badCursor = await signedFetch(service, key, 'GET', '/v1/accounts?cursor=not-ours');
    const badStatus = await signedFetch(service, key, 'GET', '/v1/accounts?status=happy');
    const badBody = await signedFetch(service, key, 'POST', '/v1/activity', {
      body: { activity: [{ email: 'ana@agency.gov', lastSeenAt: 'yesterday' }] },
    });
    expect([badCursor.status, badStatus.status, badBody.status]).toEqual([400, 400, 400]);
    expect(await badBody.json()).toMatchObject({ error: 'invalid_request', field: 'activity.0.lastSeenAt' });
  });
});
