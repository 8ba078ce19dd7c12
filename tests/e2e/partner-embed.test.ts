import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  expectHeading,
  launchChromium,
  linkIn,
  openPage,
  publicUrl,
  requireChromium,
  STEP_TIMEOUT_MS,
  saveScreenshot,
  VERIFY_LINK,
} from '../support/browser';
import { LocalService } from '../support/local-service';
import { partnerPages, type StaticSite, startStaticSite } from './fixtures/partner-site';

/**
 * The documented embed (docs/embed/signup-form.html) on a partner's static site: another origin
 * (127.0.0.1:<partner port>) than the service (localhost:<service port>). The service allows the
 * partner's origin and sends its no-JavaScript visitors back to the partner's thank-you page; a
 * third site, not allowed, gets nothing done.
 */
let service: LocalService;
let browser: Browser;
let partner: StaticSite;
let foreign: StaticSite;
const serviceUrl = () => publicUrl(service, '');

beforeAll(async () => {
  requireChromium();
  // The partner's port is needed for the service's settings: the sites first.
  [partner, foreign] = await Promise.all([startStaticSite(partnerPages(serviceUrl)), startStaticSite(partnerPages(serviceUrl))]);
  [service, browser] = await Promise.all([
    LocalService.start({ ALLOWED_ORIGINS: partner.origin, SIGNUP_SUCCESS_URL: `${partner.origin}/thanks.html` }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await service?.dispose();
  await partner?.close();
  await foreign?.close();
});

const subjects = async (address: string) => (await service.emailsTo(address)).map((email) => email.subject);

describe('the sign-up form embedded on a partner site', () => {
  it('without JavaScript: the form posts to the service and lands on the partner’s thank-you page; the email is sent', async () => {
    const { context, page } = await openPage(browser, { javaScript: false });
    const address = 'partner.nojs@agency.gov';
    await page.goto(`${partner.origin}/`);
    await expectHeading(page, 'Try the integration sandbox');
    await page.getByLabel('Work email address').fill(address);
    await page.getByLabel('Full name (optional)').fill('Pat Partner');
    const [posted] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.url() === `${serviceUrl()}/signup`),
      page.getByRole('button', { name: 'Send me a confirmation link' }).click(),
    ]);
    expect(posted.status()).toBe(303);
    await page.waitForURL(`${partner.origin}/thanks.html`);
    await expectHeading(page, 'Thank you');
    expect(await subjects(address)).toEqual(['Confirm your email address for the sandbox']);
    expect(await linkIn(service, address, VERIFY_LINK)).toMatch(new RegExp(`^${serviceUrl()}/verify\\?token=`));
    await context.close();
  });

  it('with JavaScript: the status says "Check your email" and the visitor stays on the partner page', async () => {
    const { context, page } = await openPage(browser);
    const address = 'partner.js@agency.gov';
    await page.goto(`${partner.origin}/`);
    await page.getByLabel('Work email address').fill(address);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.url() === `${serviceUrl()}/signup`),
      page.getByRole('button', { name: 'Send me a confirmation link' }).click(),
    ]);
    expect(answer.request().resourceType()).toBe('fetch');
    expect(answer.status()).toBe(202);
    expect(answer.headers()['access-control-allow-origin']).toBe(partner.origin);
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: STEP_TIMEOUT_MS, message: 'the snippet’s status text' })
      .toMatch(/^Check your email/);
    expect(page.url()).toBe(`${partner.origin}/`);
    await expectHeading(page, 'Try the integration sandbox');
    expect(await page.getByLabel('Work email address').getAttribute('aria-invalid')).toBe('false');
    expect(await subjects(address)).toEqual(['Confirm your email address for the sandbox']);
    await saveScreenshot(page, 'partner-embed-sent.png');
    await context.close();
  });

  it('with JavaScript: a contractor address shows the service’s message at the field', async () => {
    const { context, page } = await openPage(browser);
    const address = 'someone@contractor.com';
    await page.goto(`${partner.origin}/`);
    const field = page.getByLabel('Work email address');
    await field.fill(address);
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid'), { timeout: STEP_TIMEOUT_MS }).toBe('true');

    const message = (await page.locator('#sandbox-email-error').textContent()) ?? '';
    expect(message).toContain('.gov and .mil');
    expect(await page.locator('#sandbox-email-error').isVisible()).toBe(true);
    expect(((await field.getAttribute('aria-describedby')) ?? '').split(' ')).toEqual(['sandbox-email-hint', 'sandbox-email-error']);
    expect(await page.getByRole('status').textContent()).toBe(message);
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(page.url()).toBe(`${partner.origin}/`);
    expect(await service.emailsTo(address)).toHaveLength(0);

    // The documented snippet itself, in its most complex state, on a bare partner page.
    await saveScreenshot(page, 'partner-embed-error.png');
    const violations = await accessibilityViolations(page);
    expect(violations, `axe found WCAG 2.1 A/AA violations in the embed snippet:\n  ${violations.join('\n  ')}\n`).toEqual([]);
    await context.close();
  });
});

describe('the same form on a site that is not in ALLOWED_ORIGINS', () => {
  it('with JavaScript: the request is refused (403, no CORS) and no email is sent', async () => {
    expect(foreign.origin).not.toBe(partner.origin);
    const { context, page } = await openPage(browser);
    const address = 'foreign.js@agency.gov';
    // Every POST to the service: what sent it, and how it ended for the page.
    const posts: { kind: string; outcome: string }[] = [];
    const isSignup = (request: Request) => request.method() === 'POST' && request.url() === `${serviceUrl()}/signup`;
    page.on('requestfailed', (request) => {
      if (isSignup(request)) posts.push({ kind: request.resourceType(), outcome: 'failed' });
    });
    page.on('response', (response) => {
      if (isSignup(response.request())) {
        const cors = response.headers()['access-control-allow-origin'];
        posts.push({ kind: response.request().resourceType(), outcome: `${response.status()}${cors ? ` (CORS ${cors})` : ''}` });
      }
    });
    await page.goto(`${foreign.origin}/`);
    await page.getByLabel('Work email address').fill(address);
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();

    // The fetch fails (the 403 carries no CORS headers, so the page cannot read it); the snippet
    // then posts the form the plain way, which the service refuses as well.
    await expect.poll(() => posts.length, { timeout: STEP_TIMEOUT_MS }).toBe(2);
    expect(posts).toEqual([
      { kind: 'fetch', outcome: 'failed' },
      { kind: 'document', outcome: '403' },
    ]);
    await expectHeading(page, 'Request refused');
    // Both were refused by the origin check (the service logs each refusal).
    await expect
      .poll(() => service.output.filter((line) => line.includes('security: cross-site request refused')).length, {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe(2);
    expect(await service.emailsTo(address)).toHaveLength(0);
    await context.close();
  });
});
