import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { type Key, signedFetch } from '../support/signed-fetch';
import { WebhookReceiver } from '../support/webhook-receiver';

const WARNING = 'Keep your sandbox account';
const CLOSED = 'Your sandbox account was closed';

describe('accounts that end when unused, through npm start (8 s to dormancy, warnings 5 s and 2 s before)', () => {
  const receiver = new WebhookReceiver();
  let service: LocalService;
  let secret: string;
  let key: Key;
  const subjects = async (email: string) => (await service.emailsTo(email)).map((sent) => sent.subject);
  const signUp = async (email: string) => {
    await service.postJson('/signup', { email });
    expect((await service.postJson('/verify', { token: await service.latestToken(email) })).status).toBe(200);
  };

  beforeAll(async () => {
    await receiver.start();
    service = await LocalService.start({
      WEBHOOK_URL: receiver.url,
      SWEEP_INTERVAL_SECONDS: '1',
      ACTIVITY_REPORTS: 'true',
      DORMANT_AFTER_SECONDS: '8',
      DORMANT_WARNING_SECONDS: '5,2',
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
    });
    secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
    key = JSON.parse(readFileSync(join(service.dataDir, 'sandbox-key.json'), 'utf8')) as Key;
  }, 60_000);
  afterAll(async () => {
    await service.dispose();
    await receiver.close();
  });

  it('an account never reported active gets both warnings, then expires with one event', async () => {
    await signUp('idle@agency.gov');
    await eventually(
      () => subjects('idle@agency.gov'),
      (seen) => seen.includes(CLOSED),
      20_000,
    );
    expect((await subjects('idle@agency.gov')).filter((subject) => subject === WARNING || subject === CLOSED)).toEqual([
      WARNING,
      WARNING,
      CLOSED,
    ]);
    await eventually(
      async () => receiver.acknowledged(secret),
      (events) => events.some((event) => event.type === 'access.expired'),
      10_000,
    );
    expect(
      receiver
        .acknowledged(secret)
        .filter((event) => event.data.email === 'idle@agency.gov')
        .map((event) => `${event.type}:${event.data.status}`),
    ).toEqual(['access.granted:active', 'access.expired:expired']);
  }, 40_000);

  it('the warning’s page shows the account, and its button keeps it (the clock starts again)', async () => {
    await signUp('keeper@agency.gov');
    await eventually(
      () => subjects('keeper@agency.gov'),
      (seen) => seen.includes(WARNING),
      10_000,
    );
    const warning = (await service.emailsTo('keeper@agency.gov')).find((sent) => sent.subject === WARNING)!;
    const token = /\/keep\?token=([A-Za-z0-9_.-]+)/.exec(warning.body.text ?? '')![1]!;

    const page = await service.fetch(`/keep?token=${token}`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('keeper@agency.gov')]);
    const kept = await service.postJson('/keep', { token });
    const answer = (await kept.json()) as { status: string; dormantAt: string };
    expect([kept.status, answer.status]).toEqual([200, 'active']);
    expect(Date.parse(answer.dormantAt)).toBeGreaterThan(Date.now() + 6_000);
    expect((await service.postJson('/keep', { token })).status).toBe(400);
  }, 30_000);

  it('an activity report between the warnings moves the clock: the old end passes and the account stays open', async () => {
    await signUp('busy@agency.gov');
    await eventually(
      () => subjects('busy@agency.gov'),
      (seen) => seen.includes(WARNING),
      10_000,
    );
    const reportedAt = Date.now();
    const report = { activity: [{ email: 'busy@agency.gov', lastSeenAt: new Date(reportedAt).toISOString() }] };
    expect((await signedFetch(service, key, 'POST', '/v1/activity', { body: report })).status).toBe(200);
    // The old end was at most 5 s after the first warning; wait past it (the new end is 8 s after the report).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await subjects('busy@agency.gov')).not.toContain(CLOSED);
    const warnings = (await service.emailsTo('busy@agency.gov')).filter((sent) => sent.subject === WARNING);
    // Any later warning follows the new clock: its first warning is 3 s after the report (the mailbox keeps whole seconds).
    for (const later of warnings.slice(1)) expect(later.at * 1000).toBeGreaterThanOrEqual(reportedAt + 2_000);
  }, 30_000);
});
