import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../support/admin-cli';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { WebhookReceiver } from '../support/webhook-receiver';

const HARNESS_REGISTRY = new URL('../../infra/harness/registry/current-full.csv', import.meta.url);
const LEAVER = 'leaver@it.x.gov';
const STAYER = 'stayer@gsa.gov';

/** The harness's registry without x.gov, published after it: what a newer snapshot says when a domain leaves. */
function registryWithoutX(dir: string): string {
  const rows = readFileSync(HARNESS_REGISTRY, 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'current-full.csv'), `${rows.filter((row) => !row.startsWith('x.gov,')).join('\n')}\n`);
  writeFileSync(join(dir, 'SNAPSHOT.json'), JSON.stringify({ publishedAt: '2030-01-01T00:00:00Z' }));
  return join(dir, 'current-full.csv');
}

describe('a domain that leaves the registry, through npm start', () => {
  const files = mkdtempSync(join(tmpdir(), 'gatekeeper-deregistered-'));
  const receiver = new WebhookReceiver();
  let service: LocalService;
  let secret: string;
  const settings = () => ({ WEBHOOK_URL: receiver.url, SWEEP_INTERVAL_SECONDS: '1', RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
  const accountOf = async (email: string) => {
    const shown = await admin(['--format', 'json', 'show', email], {
      DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
      SES_ENDPOINT: service.mailboxUrl,
      DATA_DIR: service.dataDir,
      PORT: new URL(service.baseUrl).port,
    });
    return JSON.parse(shown.stdout) as { status: string; agency: unknown };
  };

  beforeAll(async () => {
    await receiver.start();
    service = await LocalService.start(settings());
    secret = readFileSync(join(service.dataDir, 'webhook-secret'), 'utf8').trim();
    for (const email of [LEAVER, STAYER]) {
      expect((await service.postJson('/signup', { email })).status).toBe(202);
      expect((await service.postJson('/verify', { token: await service.latestToken(email) })).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    await service.dispose();
    await receiver.close();
    rmSync(files, { recursive: true, force: true });
  });

  it('suspends the active account at the next sweep with one event, refuses new sign-ups there, and an operator reinstates', async () => {
    await service.stop();
    service = new LocalService(service.dataDir, { ...settings(), REGISTRY_FILE: registryWithoutX(files) });
    await service.boot();

    const suspendedEvents = () => receiver.acknowledged(secret).filter((event) => event.type === 'access.suspended');
    await eventually(
      async () => suspendedEvents(),
      (events) => events.length > 0,
      20_000,
    );
    // The operator's view of it, and the sandbox's: one event, naming the agency.
    expect(await accountOf(LEAVER)).toMatchObject({ status: 'suspended' });
    expect(suspendedEvents()).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          email: LEAVER,
          status: 'suspended',
          by: 'system',
          agency: { organization: 'Test Agency (x.gov)', domainType: 'Federal - Executive' },
        }),
      }),
    ]);
    expect((await accountOf(STAYER)).status).toBe('active');

    const refused = await service.postJson('/signup', { email: 'newcomer@x.gov' });
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([422, 'domain_not_registered']);

    const reinstated = await admin(['--yes', '--as', 'alice', 'reinstate', LEAVER, '--reason', 'The domain is registered again'], {
      DYNAMODB_ENDPOINT: service.dynamodbEndpoint,
      SES_ENDPOINT: service.mailboxUrl,
      DATA_DIR: service.dataDir,
      PORT: new URL(service.baseUrl).port,
    });
    expect(reinstated.code, reinstated.stderr).toBe(0);
    expect((await accountOf(LEAVER)).status).toBe('active');
    const leaverEvents = () =>
      receiver
        .acknowledged(secret)
        .filter((event) => event.data.email === LEAVER)
        .map((event) => event.type);
    await eventually(
      async () => leaverEvents(),
      (types) => types.length >= 3,
      20_000,
    );
    expect(leaverEvents()).toEqual(['access.granted', 'access.suspended', 'access.granted']);
  }, 90_000);
});
