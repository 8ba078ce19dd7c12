import { describe, expect } from 'vitest';
import { expectHeading } from '../support/browser';
import { codeEmails } from '../support/sponsor-session';
import { sponsorJourney } from './sponsor-journey';
import { emailedSignInCode, expectFocused, wrongCode } from './sponsor-steps';

/**
 * The sponsor signs in by a code emailed to them (SIGN_IN_METHOD=code): the address, then the
 * code typed on the page that asked for it; a wrong code first, answered on that page with the
 * error tied to the field, then the right one.
 */
describe('a sponsor signs in by an emailed code and decides, in Chromium with JavaScript', () => {
  sponsorJourney({
    method: 'code',
    env: { SIGN_IN_METHOD: 'code' },
    signInHeading: 'Sign in as a sponsor',
    async signIn({ page, service, sponsor, audit }) {
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await audit('sign-in');
      const before = (await codeEmails(service, sponsor)).length;
      await page.getByLabel('Your work email address').fill(sponsor);
      await page.getByRole('button', { name: 'Email me a code' }).click();

      await expectHeading(page, 'Enter your sign-in code');
      expect(await page.getByRole('main').textContent()).toContain(
        `If ${sponsor} can sponsor contractors, we have emailed it a six-digit code.`,
      );
      const field = page.getByLabel('Sign-in code');
      expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
      await audit('enter-code');
      const code = await emailedSignInCode(service, sponsor, before);

      // A wrong code: the same page again, the error in a summary that links to the field and tied to the field.
      await field.fill(wrongCode(code));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: Enter your sign-in code/);
      await expectHeading(page, 'Enter your sign-in code');
      const summary = page.getByRole('alert');
      expect(await summary.getByRole('heading').textContent()).toBe('There is a problem');
      const summaryLink = summary.getByRole('link');
      expect(await summaryLink.getAttribute('href')).toBe('#code');
      const message = (await summaryLink.textContent())?.trim() ?? '';
      expect(message).toMatch(/^That code did not work\./);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(((await field.getAttribute('aria-describedby')) ?? '').split(' ').sort()).toEqual(['code-error', 'code-hint']);
      expect((await page.locator('#code-error').textContent())?.trim()).toBe(message);
      // The summary can take focus (a script or a person can move there), and its link takes focus to the field.
      expect(await summary.getAttribute('tabindex')).toBe('-1');
      await summary.focus();
      await expectFocused(summary, 'the error summary');
      await summaryLink.click();
      await expectFocused(field, 'the code field (from the summary’s link)');
      await audit('wrong-code');

      await field.fill(code);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    },
  });
});
