import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalService } from '../support/local-service';

let service: LocalService;

beforeAll(async () => {
  service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
});
afterAll(async () => {
  await service.dispose();
});

describe('npm start keeps its data on disk', () => {
  it('stops cleanly on SIGTERM, and a second start on the same DATA_DIR sees the first one’s accounts', async () => {
    await service.postJson('/signup', { email: 'persist@agency.gov' });
    const token = await service.latestToken('persist@agency.gov');
    await service.postJson('/signup', { email: 'still.pending@agency.gov' });
    const pendingToken = await service.latestToken('still.pending@agency.gov');
    expect((await service.postJson('/verify', { token })).status).toBe(200);

    expect(await service.stop()).toBe(0);
    expect(service.output.join('\n')).toContain('stopping (data kept in');
    await service.boot();

    // The active account survived: its used link reports the work done, a sign-up gets the notice.
    const page = await service.fetch(`/verify?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('already been used');
    await service.postJson('/signup', { email: 'persist@agency.gov' });
    const [notice] = await service.emailsTo('persist@agency.gov');
    expect(notice?.subject).toBe('You already have a sandbox account');

    // So did the pending one: its link still works after the restart.
    expect((await service.postJson('/verify', { token: pendingToken })).status).toBe(200);
  });
});
