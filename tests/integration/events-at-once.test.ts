import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../functions/core/outbox';
import { admin } from '../support/admin-cli';
import { LocalService } from '../support/local-service';
import { emailedToken } from '../support/mail-links';
import { approvedContractor, manageAs } from '../support/sponsor-session';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The sandbox hears of a change from the change itself, before the person's answer: `npm start`
 * with a real receiver and its sweep an hour away, so nothing here can be the sweep's doing.
 */
let service: LocalService;
let receiver: WebhookReceiver;
let secret: string;
let env: Record<string, string>;

beforeAll(async () => {
  receiver = new WebhookReceiver();
  await receiver.start();
  service = await LocalService.start({ WEBHOOK_URL: receiver.url, WEBHOOK_RETRY_SECONDS: '1', SWEEP_INTERVAL_SECONDS: '3600' });
  secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
  env = { DYNAMODB_ENDPOINT: service.dynamodbEndpoint, SES_ENDPOINT: service.mailboxUrl, DATA_DIR: service.dataDir };
}, 60_000);
afterAll(async () => {
  await service?.dispose();
  await receiver?.close();
});

const toldOf = (email: string): [AccessEvent['type'], string][] =>
  receiver
    .acknowledged(secret)
    .filter((event) => event.data.email === email)
    .map((event) => [event.type, event.data.by]);

const approved = (contractor: string, sponsor: string) => approvedContractor(service, service, contractor, sponsor);

describe('each change tells the sandbox before it answers', () => {
  it('an agency confirmation, an approval, a sponsor’s End and an operator’s revoke', async () => {
    await service.postJson('/signup', { email: 'told.at.once@agency.gov' });
    await service.postJson('/verify', { token: await emailedToken(service, 'told.at.once@agency.gov', '/verify') });
    expect(toldOf('told.at.once@agency.gov'), 'the confirmation').toEqual([['access.granted', 'self']]);

    const contractor = 'told.at.once@acme-corp.com';
    const { session, requestId } = await approved(contractor, 'tells.at.once@agency.gov');
    expect(toldOf(contractor), 'the approval').toEqual([['access.granted', 'sponsor:tells.at.once@agency.gov']]);
    expect((await manageAs(service, session, { requestId, action: 'end', confirmed: 'yes' })).status).toBe(200);
    expect(toldOf(contractor).at(-1), 'the End').toEqual(['access.revoked', 'sponsor:tells.at.once@agency.gov']);

    const revoked = await admin(['--yes', '--as', 'alice', 'revoke', 'told.at.once@agency.gov', '--reason', 'Left the agency'], env);
    expect(revoked.code).toBe(0);
    expect(toldOf('told.at.once@agency.gov').at(-1), 'the operator’s revoke').toEqual(['access.revoked', 'operator:alice']);
  }, 90_000);

  it('a receiver slower than the short wait: the End answers while the receiver still holds its event, which is left for the sweep', async () => {
    const contractor = 'slow.receiver@acme-corp.com';
    const { session, requestId } = await approved(contractor, 'slow.receiver@agency.gov');
    receiver.delayMs = 8_000;
    try {
      const ended = await manageAs(service, session, { requestId, action: 'end', confirmed: 'yes' });
      expect([ended.status, receiver.open]).toEqual([200, 1]);
      const waiting = await admin(['--format', 'json', 'deliveries', 'list'], env);
      expect(JSON.parse(waiting.stdout)).toEqual([
        expect.objectContaining({
          account: contractor,
          what: 'access.revoked',
          attempts: 1,
          lastError: expect.stringContaining('Timeout'),
        }),
      ]);
    } finally {
      receiver.delayMs = 0;
    }
  }, 90_000);
});
