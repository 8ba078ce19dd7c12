import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { expectHeading, publicUrl, STEP_TIMEOUT_MS } from '../support/browser';
import type { LocalService } from '../support/local-service';
import { useAccessibilityAudit } from './accessibility-audit';
import { END_QUESTION, expectFocused, expectNewestEmail, factOf, SESSION_COOKIE, shownTime } from './sponsor-steps';

/**
 * A sponsor's whole journey in Chromium with JavaScript, one sign-in method per file: the emailed
 * review link opened signed out, "Sign in to decide", the method's own pages, back on the review
 * page to approve (answered in place), then the dashboard: the contractor active, Renew, End
 * access (the browser's confirm dialog, accepted), Sign out. axe audits every page state reached.
 */

export interface SignInStep {
  readonly page: Page;
  readonly service: LocalService;
  readonly sponsor: string;
  /** Screenshot and axe of the page as it is now, named for this method. */
  readonly audit: (name: string) => Promise<void>;
}

export interface SignInMethod {
  /** `oidc` or `code`: names the screenshots. */
  readonly method: string;
  /** `npm start`'s environment for this method. */
  readonly env: Record<string, string>;
  /** The h1 of the page /sign-in leads to (this service's form, or the provider's). */
  readonly signInHeading: string;
  /** From that page, signs in as the sponsor, auditing each page shown; the browser then returns to `next`. */
  readonly signIn: (step: SignInStep) => Promise<void>;
}

export function sponsorJourney(method: SignInMethod) {
  const a11y = useAccessibilityAudit(method.env);
  const { suite, open, awaitingDecision, shortenAccess } = a11y;

  it('review link signed out → sign in → approve in place → dashboard: active, renew, end (confirm dialog), sign out; axe finds nothing', async () => {
    const { service } = suite;
    const { contractor, sponsor, reviewLink } = await awaitingDecision({ name: 'Casey Contractor' });
    const view = await open(true);
    const { page } = view;
    const audit = (name: string) => view.audit(`${method.method}-${name}`);

    // Signed out, the link shows the request and the way to sign in; nothing can be decided.
    await page.goto(reviewLink);
    await expectHeading(page, 'Review a sponsorship request');
    expect(await page.getByRole('main').textContent()).toContain(contractor);
    expect(await page.getByRole('button', { name: /^(Approve|Deny)$/ }).count()).toBe(0);
    const signInLink = page.getByRole('link', { name: 'Sign in to decide' });
    const reviewPath = `${new URL(reviewLink).pathname}${new URL(reviewLink).search}`;
    expect(await signInLink.getAttribute('href')).toBe(`/sign-in?next=${encodeURIComponent(reviewPath)}`);
    await audit('review-signed-out');

    await signInLink.click();
    await expectHeading(page, method.signInHeading);
    await method.signIn({ page, service, sponsor, audit });

    // Back on the review page, signed in as its sponsor, with the session cookie as specified.
    await expect.poll(() => page.url(), { timeout: STEP_TIMEOUT_MS, message: 'back on the review page' }).toBe(reviewLink);
    await expectHeading(page, 'Review a sponsorship request');
    const cookie = (await page.context().cookies(publicUrl(service))).find((held) => held.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    await audit('review-signed-in');

    // Approve: answered in place (same URL), its heading focused; the contractor is emailed.
    await page.getByLabel('Reason, sent to the contractor (optional)', { exact: true }).fill('Checked with the project lead.');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectHeading(page, 'You approved the request');
    expect(page.url()).toBe(reviewLink);
    await expectFocused(page.getByRole('heading', { level: 1 }), 'the answer’s heading');
    await audit('approved');
    await expectNewestEmail(service, contractor, 'Your sandbox access is approved');

    // The dashboard, as if most of the access period had passed: the contractor active, with Renew and End access.
    const shortened = await shortenAccess(contractor);
    await page.goto(publicUrl(service, '/sponsors'));
    await expectHeading(page, 'The contractors you sponsor');
    expect(await page.getByText('Signed in as').textContent()).toBe(`Signed in as ${sponsor}.`);
    const section = page.getByRole('region', { name: 'Casey Contractor' });
    expect(await factOf(section, 'Email address').textContent()).toBe(contractor);
    expect(await factOf(section, 'Status').textContent()).toBe('Active');
    expect(shownTime((await factOf(section, 'Access ends').textContent()) ?? '')).toBe(Math.floor(Date.parse(shortened) / 60_000) * 60_000);
    await audit('dashboard');

    // Renew: answered in place, the new end a full period from now; focus moves into the answer.
    await section.getByRole('button', { name: 'Renew' }).click();
    await expect.poll(() => section.getByRole('heading', { name: 'Access renewed' }).count()).toBe(1);
    const until = /Access now lasts until (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)\./.exec((await section.textContent()) ?? '')?.[1] ?? '';
    expect(shownTime(until)).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(await section.locator(':focus').count()).toBe(1);
    await audit('renewed');
    await expectNewestEmail(service, contractor, 'Your sandbox access is renewed');

    // End access: the browser's own dialog asks first; accepted, the end is answered in place with its time.
    await page.reload();
    await section.getByLabel(/Reason, if you end access/).fill('The work is done.');
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      });
    });
    await section.getByRole('button', { name: 'End access' }).click();
    expect(await asked).toBe(END_QUESTION);
    await expect.poll(() => section.getByRole('heading', { name: 'Access ended' }).count()).toBe(1);
    const endedAt = /Access ended at (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)\./.exec((await section.textContent()) ?? '')?.[1] ?? '';
    expect(Math.abs(shownTime(endedAt) - Date.now())).toBeLessThan(2 * 60_000);
    await audit('ended');
    expect(await expectNewestEmail(service, contractor, 'Your sandbox access was ended')).toContain('The work is done.');

    // Reloaded: ended, with nothing left to do.
    await page.reload();
    expect(await factOf(section, 'Status').textContent()).toBe('Ended');
    expect(await section.getByRole('button').count()).toBe(0);

    // Sign out: a page says so (whatever the method: never a redirect on to the provider); the cookie goes; the dashboard asks for a sign-in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectHeading(page, 'You are signed out');
    await audit('signed out');
    await expect
      .poll(async () => (await page.context().cookies(publicUrl(service))).map((held) => held.name), { timeout: STEP_TIMEOUT_MS })
      .not.toContain(SESSION_COOKIE);
    await page.goto(publicUrl(service, '/sponsors'));
    await expectHeading(page, method.signInHeading);
    await view.close();
  });

  return a11y;
}
