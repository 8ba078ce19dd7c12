import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../support/admin-cli';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { decideAs, signInByCode } from '../support/sponsor-session';
import { WebhookReceiver } from '../support/webhook-receiver';

const JANE = 'jane@agency.gov';
const bounce = (address: string) => ({
  eventType: 'Bounce',
  bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
  mail: { destination: [address] },
});

describe('the local SNS stand-in (npm start): a bounce and an alarm tried by hand', () => {
  const receiver = new WebhookReceiver();
  let service: LocalService;
  let operator: (args: string[]) => ReturnType<typeof admin>;
  beforeAll(async () => {
    await receiver.start();
    service = await LocalService.start({ WEBHOOK_URL: receiver.url, SWEEP_INTERVAL_SECONDS: '1', RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
    const env = {
      DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
      SES_ENDPOINT: service.mailboxUrl,
      DATA_DIR: service.dataDir,
      PORT: new URL(service.baseUrl).port,
    };
    operator = (args) => admin(args, env);
  }, 60_000);
  afterAll(async () => {
    await service.dispose();
    await receiver.close();
  });

  it('a permanent bounce suspends the active account (the sandbox told); confirming the address again resumes it', async () => {
    await service.postJson('/signup', { email: JANE });
    await service.postJson('/verify', { token: await service.latestToken(JANE) });

    const delivered = await service.postJson('/_local/sns/feedback', bounce(JANE));
    expect([delivered.status, await delivered.json()]).toEqual([202, { delivered: 'feedback' }]);
    const shown = async () => JSON.parse((await operator(['--format', 'json', 'show', JANE])).stdout) as { status: string };
    expect((await shown()).status).toBe('suspended');

    const secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
    const types = () =>
      receiver
        .acknowledged(secret)
        .filter((event) => event.data.email === JANE)
        .map((event) => `${event.type}:${event.data.status}`);
    await eventually(
      async () => types(),
      (seen) => seen.length >= 2,
      20_000,
    );
    expect(types()).toEqual(['access.granted:active', 'access.suspended:suspended']);

    // The mailbox works again (its suppression lifted by the operator): a new sign-up's link resumes it.
    expect((await operator(['--yes', 'suppressions', 'remove', JANE])).code).toBe(0);
    await service.postJson('/signup', { email: JANE });
    const resumed = await service.postJson('/verify', { token: await service.latestToken(JANE) });
    expect(await resumed.json()).toMatchObject({ status: 'active' });
    await eventually(
      async () => types(),
      (seen) => seen.length >= 3,
      20_000,
    );
    expect(types().at(-1)).toBe('access.granted:active');
  }, 90_000);

  it('a sponsor’s mailbox that bounces leaves their contractor active, and the contractor is told', async () => {
    const contractor = 'cora@acme-corp.com';
    const sponsor = 'sue.sponsor@agency.gov';
    const body = {
      email: contractor,
      name: 'Cora',
      company: 'Acme Corp',
      sponsorEmail: sponsor,
      justification: 'The benefits integration.',
    };
    await service.postJson('/sponsorships', body);
    await service.postJson('/verify', { token: await service.latestToken(contractor) });
    const review = await service.reviewToken(sponsor);
    const decided = await decideAs(service, await signInByCode(service, sponsor), { token: review, decision: 'approve' });
    expect(await decided.json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });

    expect((await service.postJson('/_local/sns/feedback', bounce(sponsor))).status).toBe(202);
    const subjects = async () => (await service.emailsTo(contractor)).map((email) => email.subject);
    await eventually(subjects, (seen) => seen.includes('Your sandbox sponsor no longer receives email'), 20_000);
    expect(JSON.parse((await operator(['--format', 'json', 'show', contractor])).stdout)).toMatchObject({ status: 'active' });
  }, 60_000);

  it('an alarm opens the breaker', async () => {
    const delivered = await service.postJson('/_local/sns/breaker', { AlarmName: 'Reputation.BounceRate', NewStateValue: 'ALARM' });
    expect(delivered.status).toBe(202);
    expect(JSON.parse((await operator(['--format', 'json', 'breaker', 'status'])).stdout)).toMatchObject({
      open: true,
      reason: 'Reputation.BounceRate',
    });
    expect((await operator(['--yes', 'breaker', 'close'])).code).toBe(0);
  });

  it('refuses a browser (an Origin header), a body that is not JSON, and an unknown topic, running nothing', async () => {
    const fromPage = await service.postJson('/_local/sns/feedback', bounce('x@agency.gov'), { origin: 'https://evil.example' });
    const notJson = await service.fetch('/_local/sns/feedback', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    const unknown = await service.postJson('/_local/sns/anything', {});
    expect([fromPage.status, notJson.status, unknown.status]).toEqual([403, 400, 404]);
    expect((await operator(['suppressions', 'list'])).stdout).not.toContain('x@agency.gov');
  });
});
