import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { itemKeys } from '../../functions/service/table';
import { Browser } from '../support/cookie-browser';
import { LocalService } from '../support/local-service';
import { emailedToken, requestAccess } from '../support/mail-links';

/**
 * `npm start` as it runs by default: sponsors sign in with OpenID Connect against the local
 * provider (oidc-provider), and decide inside that session.
 */
let service: LocalService;
beforeAll(async () => {
  service = await LocalService.start({ SIGN_IN_METHOD: 'oidc' });
});
afterAll(async () => {
  await service.dispose();
});

async function account(email: string): Promise<Account> {
  const { Item } = await service
    .documentClient()
    .send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.account(email), ConsistentRead: true }));
  return Item as Account;
}

/** A request naming `sponsor`, confirmed by the contractor: the review link's token. */
async function confirmedRequest(contractor: string, sponsor: string): Promise<string> {
  const token = await requestAccess(service, service, contractor, sponsor);
  expect((await service.postJson('/verify', { token })).status).toBe(200);
  return emailedToken(service, sponsor, '/sponsorships/review');
}

/** The provider's sign-in page, filled in as a developer would; ends where the service sends the browser after. */
async function signIn(browser: Browser, next: string, email: string, otherEmails = ''): Promise<{ page: Response; url: string }> {
  const started = await browser.go(`${service.baseUrl}/sign-in?next=${encodeURIComponent(next)}`);
  if (!('page' in started)) throw new Error('no sign-in page');
  const form = await started.page.text();
  expect(form).toContain('development stand-in');
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(form)![1]!, started.url).href;
  const done = await browser.go(action, { email, other_emails: otherEmails });
  if (!('page' in done)) throw new Error('the sign-in did not end on a page');
  return done;
}

/** The service's own address as npm start prints it (BASE_URL): where the provider sends the browser back. */
const publicBase = () => service.baseUrl.replace('127.0.0.1', 'localhost');

const formField = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];

describe('sponsor sign-in with OpenID Connect (the local provider)', () => {
  it('a sponsor matching only an all_emails entry approves once, and the audit names via oidc and the sub', async () => {
    const token = await confirmedRequest('olive@acme.example', 'kim.sponsor@agency.gov');
    const browser = new Browser();
    const review = `/sponsorships/review?token=${token}`;
    const landed = await signIn(browser, review, 'kim.personal@example.com', 'kim.sponsor@agency.gov');
    expect(landed.url).toBe(`${publicBase()}${review}`);
    const page = await landed.page.text();
    expect(page).toContain('value="approve"');
    const csrf = formField(page, 'csrf')!;

    // A reason is words for the contractor, never a link (the email would carry it).
    const linked = await browser.go(`${service.baseUrl}/sponsorships/decision`, {
      token,
      decision: 'deny',
      reason: 'See https://evil.example/login',
      csrf,
    });
    expect('page' in linked && linked.page.status).toBe(400);
    expect((await account('olive@acme.example')).status).toBe('awaiting_sponsor');

    const decide = () => browser.go(`${service.baseUrl}/sponsorships/decision`, { token, decision: 'approve', csrf });
    const first = await decide();
    expect('page' in first && first.page.status).toBe(200);
    const again = await decide();
    expect('page' in again && again.page.status).toBe(409);

    const decided = (await account('olive@acme.example')).history.find((entry) => entry.event === 'sponsorship_approved');
    expect(decided).toMatchObject({ by: 'sponsor:kim.sponsor@agency.gov', via: 'oidc', acr: 'urn:acr.login.gov:auth-only' });
    expect(decided?.sub).toMatch(/^[0-9a-f]{32}$/);
  });

  it('someone signed in as another address gets 403, nothing changes, and the sponsor is told', async () => {
    const token = await confirmedRequest('oscar@acme.example', 'lee.sponsor@agency.gov');
    const browser = new Browser();
    const landed = await signIn(browser, `/sponsorships/review?token=${token}`, 'mallory@agency.gov');
    const page = await landed.page.text();
    expect(page).toContain('Signed in as someone else');
    expect(page).not.toContain('value="approve"');
    const csrf = formField(page, 'csrf')!;
    const tried = await browser.go(`${service.baseUrl}/sponsorships/decision`, { token, decision: 'approve', csrf });
    expect('page' in tried && tried.page.status).toBe(403);
    expect((await account('oscar@acme.example')).status).toBe('awaiting_sponsor');
    const told = (await service.emailsTo('lee.sponsor@agency.gov')).filter((email) => email.subject.startsWith('Someone tried'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body.text).toContain('mallory@agency.gov');
  });

  it('offers no way around the provider: the emailed code is not there', async () => {
    const asked = await service.postJson('/sign-in/code', { email: 'kim.sponsor@agency.gov' });
    expect([asked.status, ((await asked.json()) as { error: string }).error]).toEqual([404, 'not_found']);
    const typed = await service.postJson('/sign-in/verify', { email: 'kim.sponsor@agency.gov', code: '123456' });
    expect(typed.status).toBe(404);
  });

  it('a replayed callback, or one from a browser that never started the sign-in, is refused with a page to start again', async () => {
    const browser = new Browser();
    const started = await browser.go(`${service.baseUrl}/sign-in`);
    if (!('page' in started)) throw new Error('no sign-in page');
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(await started.page.text())![1]!, started.url).href;
    const back = await browser.go(action, { email: 'nina.sponsor@agency.gov', other_emails: '' }, `${publicBase()}/auth/callback`);
    if (!('callback' in back)) throw new Error('the provider did not send the browser back');

    const stranger = await fetch(back.callback, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('Sign-in did not complete');

    const signedIn = await browser.go(back.callback);
    expect('page' in signedIn && signedIn.url).toBe(`${publicBase()}/sponsors`);
    const replayed = await browser.go(back.callback);
    expect('page' in replayed && replayed.page.status).toBe(400);
  });
});
