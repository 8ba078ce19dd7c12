import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectHeading, publicUrl } from '../support/browser';
import { useAccessibilityAudit } from './accessibility-audit';
import { END_QUESTION, expectNewestEmail, factOf, signInByCodeOn } from './sponsor-steps';

/**
 * A sponsor manages the contractors they sponsor from the dashboard: signed out, /sponsors asks
 * them to sign in (here by the emailed code) and brings them back; they approve two requests,
 * renew one contractor and end the other's access, which asks first (with JavaScript the
 * browser's confirm dialog, without it a page of its own). Each state is audited by axe.
 */
const { suite, open, awaitingDecision, shortenAccess } = useAccessibilityAudit();

/** Two confirmed requests naming one sponsor; returns the sponsor and the contractors' addresses. */
async function twoAwaiting(): Promise<{ sponsor: string; casey: string; robin: string }> {
  const first = await awaitingDecision({ name: 'Casey Contractor' });
  const second = await awaitingDecision({ sponsor: first.sponsor, name: 'Robin Second' });
  return { sponsor: first.sponsor, casey: first.contractor, robin: second.contractor };
}

/** Keyboard only: focus the section's button, press Enter. */
async function press(page: Page, section: Locator, button: string): Promise<void> {
  await section.getByRole('button', { name: button, exact: true }).focus();
  await page.keyboard.press('Enter');
}

describe.each([
  { javaScript: true, js: 'on' },
  { javaScript: false, js: 'off' },
])('a sponsor manages their contractors in a real browser, JavaScript $js', ({ javaScript }) => {
  it('signs in from /sponsors, approves both, renews one and ends the other (asked first); axe finds nothing', async () => {
    const { sponsor, casey, robin } = await twoAwaiting();
    const view = await open(javaScript);
    const { page } = view;
    const js = javaScript ? 'js' : 'nojs';
    const dashboard = publicUrl(suite.service, '/sponsors');

    // Signed out, the dashboard sends the browser to sign in, and the sign-in brings it back.
    await page.goto(dashboard);
    expect(new URL(page.url()).search).toBe('?next=%2Fsponsors');
    await signInByCodeOn(page, suite.service, sponsor);
    await expectHeading(page, 'The contractors you sponsor');
    expect(page.url()).toBe(dashboard);
    const caseySection = page.getByRole('region', { name: 'Casey Contractor' });
    const robinSection = page.getByRole('region', { name: 'Robin Second' });
    for (const [section, contractor] of [
      [caseySection, casey],
      [robinSection, robin],
    ] as const) {
      expect(await factOf(section, 'Email address').textContent()).toBe(contractor);
      expect(await factOf(section, 'Status').textContent()).toBe('Waiting for your decision');
    }
    await view.audit(`dashboard-awaiting-${js}`);

    // Approve both from the dashboard. With JavaScript the answer replaces the section's form; without, it is its own page.
    for (const section of [caseySection, robinSection]) {
      await press(page, section, 'Approve');
      if (javaScript) {
        await expect.poll(() => section.getByRole('heading', { name: 'Approved' }).count()).toBe(1);
        expect(await section.locator(':focus').count()).toBe(1);
      } else {
        await expectHeading(page, 'You approved the request');
        expect(new URL(page.url()).pathname).toBe('/sponsorships/review');
      }
      if (section === caseySection) await view.audit(`dashboard-approved-${js}`);
      // The decision's own page has no way back to the dashboard: the address bar is it.
      if (!javaScript) await page.goto(dashboard);
    }
    await expectNewestEmail(suite.service, casey, 'Your sandbox access is approved');
    await expectNewestEmail(suite.service, robin, 'Your sandbox access is approved');

    // As if most of Casey's period had passed, so that Renew moves the end.
    await shortenAccess(casey);
    await page.goto(dashboard);
    for (const section of [caseySection, robinSection]) expect(await factOf(section, 'Status').textContent()).toBe('Active');
    if (!javaScript) await view.audit('dashboard-active-nojs');

    // Renew Casey, keyboard only.
    await press(page, caseySection, 'Renew');
    const renewed = javaScript ? caseySection : page.getByRole('main');
    if (javaScript) await expect.poll(() => caseySection.getByRole('heading', { name: 'Access renewed' }).count()).toBe(1);
    else await expectHeading(page, 'Access renewed');
    expect((await renewed.textContent()) ?? '').toMatch(/Access now lasts until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
    if (!javaScript) await view.audit('renewed-nojs');
    await expectNewestEmail(suite.service, casey, 'Your sandbox access is renewed');
    if (!javaScript) {
      await page.getByRole('link', { name: 'Back to the contractors you sponsor' }).click();
      await expectHeading(page, 'The contractors you sponsor');
    }

    // End Robin's access: it asks first, and saying no changes nothing.
    const robinEmails = (await suite.service.emailsTo(robin)).length;
    const reason = robinSection.getByLabel(/Reason, if you end access/);
    await reason.fill('The work is done.');
    if (javaScript) {
      const answer = (accept: boolean) =>
        new Promise<string>((resolve) => {
          page.once('dialog', (dialog) => {
            resolve(dialog.message());
            void (accept ? dialog.accept() : dialog.dismiss());
          });
        });
      const dismissed = answer(false);
      await robinSection.getByRole('button', { name: 'End access' }).click();
      expect(await dismissed).toBe(END_QUESTION);
      expect(await robinSection.getByRole('button', { name: 'End access' }).isEnabled()).toBe(true);
      expect(await robinSection.getByRole('heading', { name: 'Access ended' }).count()).toBe(0);

      const accepted = answer(true);
      await robinSection.getByRole('button', { name: 'End access' }).click();
      expect(await accepted).toBe(END_QUESTION);
      await expect.poll(() => robinSection.getByRole('heading', { name: 'Access ended' }).count()).toBe(1);
      expect((await robinSection.textContent()) ?? '').toMatch(/Access ended at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
    } else {
      await robinSection.getByRole('button', { name: 'End access' }).click();
      await expectHeading(page, 'End sandbox access?');
      expect(new URL(page.url()).pathname).toBe('/sponsors/manage');
      expect(await page.getByRole('main').textContent()).toContain('loses sandbox access at once and is emailed your reason.');
      await view.audit('end-confirm-nojs');
      await page.getByRole('link', { name: 'No, keep access' }).click();
      await expectHeading(page, 'The contractors you sponsor');
      expect(await factOf(robinSection, 'Status').textContent()).toBe('Active');

      await reason.fill('The work is done.');
      await robinSection.getByRole('button', { name: 'End access' }).click();
      await expectHeading(page, 'End sandbox access?');
      await page.getByRole('button', { name: 'Yes, end access' }).click();
      await expectHeading(page, 'Access ended');
      expect(new URL(page.url()).pathname).toBe('/sponsors');
      expect((await page.getByRole('main').textContent()) ?? '').toMatch(/Access ended at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
      await view.audit('ended-nojs');
    }
    // Only the accepted End access sent anything.
    expect(await expectNewestEmail(suite.service, robin, 'Your sandbox access was ended')).toContain('The work is done.');
    expect((await suite.service.emailsTo(robin)).length).toBe(robinEmails + 1);
    await view.close();
  });
});
