import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';

const WARNING = 'Keep your sandbox account';

/** A dormancy warning's Keep my account, posted by a plain form: POST-redirect-GET, and a next step. */
describe('Keep my account without JavaScript', () => {
  let service: LocalService;
  beforeAll(async () => {
    service = await LocalService.start({
      SWEEP_INTERVAL_SECONDS: '1',
      ACTIVITY_REPORTS: 'true',
      DORMANT_AFTER_SECONDS: '30',
      DORMANT_WARNING_SECONDS: '28',
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
    });
  }, 60_000);
  afterAll(async () => {
    await service.dispose();
  });

  it('answers 303 to the kept page, which a reload shows again without posting, with the way to the sandbox', async () => {
    const email = 'form.keeper@agency.gov';
    await service.postJson('/signup', { email });
    expect((await service.postJson('/verify', { token: await service.latestToken(email) })).status).toBe(200);
    const warning = await eventually(
      async () => (await service.emailsTo(email)).find((sent) => sent.subject === WARNING),
      (found) => found !== undefined,
      15_000,
    );
    const token = /\/keep\?token=([A-Za-z0-9_.-]+)/.exec(warning!.body.text ?? '')![1]!;

    const kept = await service.postForm('/keep', { token });
    expect(kept.status).toBe(303);
    const location = kept.headers.get('location')!;
    expect(location).toMatch(/^\/keep\?outcome=[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(location).not.toContain(token);
    for (const reload of [1, 2]) {
      const page = await service.fetch(location);
      const body = await page.text();
      expect([reload, page.status]).toEqual([reload, 200]);
      expect(body).toContain('<h1>Your sandbox account is kept</h1>');
      expect(body).toMatch(/<a class="usa-button" href="http:\/\/localhost:\d+\/_local\/sandbox">Go to the sandbox<\/a>/);
    }
    // A note made for another page says nothing here.
    const elsewhere = location.replace('/keep', '/verify');
    expect((await service.fetch(elsewhere)).status).toBe(400);
  }, 40_000);
});
