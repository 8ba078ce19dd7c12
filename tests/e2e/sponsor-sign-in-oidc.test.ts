import { describe, expect } from 'vitest';
import { expectHeading, publicUrl } from '../support/browser';
import { sponsorJourney } from './sponsor-journey';

/**
 * The sponsor signs in with OpenID Connect, npm start's default: the local provider on loopback
 * (a development stand-in for Login.gov, an origin of its own) and back through /auth/callback.
 * The provider's page is audited as well, with and without an error. Emails name the service as
 * http://localhost:<port>, the origin the provider returns to: the browser uses it throughout.
 */
const PROVIDER_HEADING = 'Development sign-in: a stand-in for Login.gov';

describe('a sponsor signs in with OpenID Connect (the local provider) and decides, in Chromium with JavaScript', () => {
  sponsorJourney({
    method: 'oidc',
    env: { SIGN_IN_METHOD: 'oidc' },
    signInHeading: PROVIDER_HEADING,
    async signIn({ page, service, sponsor, audit }) {
      // The provider's own page, on its own origin, says what it is.
      const provider = new URL(page.url());
      expect(provider.origin).not.toBe(new URL(publicUrl(service)).origin);
      expect(provider.pathname).toMatch(/^\/interaction\/[A-Za-z0-9_-]+$/);
      expect(await page.getByRole('main').textContent()).toContain('This is a development stand-in for Login.gov.');
      const email = page.getByLabel('Email address', { exact: true });
      expect(await email.getAttribute('type')).toBe('email');
      expect(await page.getByLabel('Other addresses you also own (optional)').evaluate((field) => field.tagName)).toBe('TEXTAREA');
      await audit('provider');

      // Not an address: the page again, the message tied to the field.
      await email.fill('pat at agency');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: Sign in/);
      await expectHeading(page, PROVIDER_HEADING);
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      expect(await email.getAttribute('aria-describedby')).toBe('email-error');
      expect(await page.locator('#email-error').textContent()).toBe('Enter an email address in the form name@example.gov.');
      expect(await email.inputValue()).toBe('pat at agency');
      await audit('provider-error');

      await email.fill(sponsor);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    },
  });
});
