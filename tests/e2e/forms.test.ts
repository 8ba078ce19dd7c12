import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectHeading, openPage, publicUrl, STEP_TIMEOUT_MS, useServiceAndBrowser } from '../support/browser';

/** The forms people fill in, in a real browser with JavaScript on and off: every refusal at once, the echoed address, the counter, the basics. */
const suite = useServiceAndBrowser({
  PRIVACY_URL: 'https://agency.example.gov/privacy',
  ACCESSIBILITY_URL: 'https://agency.example.gov/a11y',
});

const sendButton = (page: Page) => page.getByRole('button', { name: 'Send me a confirmation link' });

async function expectFocused(locator: Locator, what: string): Promise<void> {
  await expect
    .poll(() => locator.evaluate((element) => element === document.activeElement), {
      timeout: STEP_TIMEOUT_MS,
      message: `${what} has focus`,
    })
    .toBe(true);
}

/** The error summary's links: where each points, and what it says. */
async function summaryLinks(page: Page): Promise<[string | null, string][]> {
  const summary = page.locator('.usa-alert--error').first();
  await summary.waitFor();
  const links = await summary.getByRole('link').all();
  return Promise.all(
    links.map(async (link) => [await link.getAttribute('href'), ((await link.textContent()) ?? '').trim()] as [string | null, string]),
  );
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the contractor form %s', (_label, javaScript) => {
  it('reports every invalid field at once, by its label, then names the address it wrote to', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    await page.goto(publicUrl(suite.service, '/contractors'));
    await page.getByLabel('Your work email address').fill('not an address');
    await page.getByLabel('Company').fill('Acme Corp');
    await page.getByLabel('Your sponsor’s email address').fill('boss@agency.gov');
    await sendButton(page).click();

    expect(await summaryLinks(page)).toEqual([
      ['#name', 'Enter your full name.'],
      ['#email', expect.stringContaining('character we do not accept')],
      ['#justification', 'Tell your sponsor why you need sandbox access.'],
    ]);
    for (const label of ['Full name', 'Your work email address', 'Justification']) {
      expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), label).toBe('true');
    }
    expect(await page.getByLabel('Company', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => page.title()).toMatch(/^Error: Request sponsored sandbox access/);
    if (javaScript) await expectFocused(page.locator('.usa-alert--error').first(), 'the error summary');

    const who = javaScript ? 'js' : 'nojs';
    await page.getByLabel('Full name').fill('Dana Doe');
    await page.getByLabel('Your work email address').fill(`Dana.Doe.${who}@Contractor.COM`);
    await page.getByLabel('Justification').fill('Building the benefits integration.');
    await sendButton(page).click();

    await expectHeading(page, 'Check your email');
    expect(await page.locator('[data-echo="email"]').textContent()).toBe(`dana.doe.${who}@contractor.com`);
    if (javaScript) expect(await page.title()).not.toMatch(/^Error/);
    await context.close();
  });
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the sign-up form %s', (_label, javaScript) => {
  it('refuses a look-alike domain as the browser spells it (xn--), naming that spelling', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    await page.goto(publicUrl(suite.service, '/'));
    await page.getByLabel('Your work email address').fill('bob@agencу.gov'); // a Cyrillic у
    await sendButton(page).click();

    const [[href, message] = [null, '']] = await summaryLinks(page);
    expect(href).toBe('#email');
    expect(message).toContain('xn--agenc-ize.gov only looks like a government domain');
    await context.close();
  });

  it('makes the path in a refusal a link', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    await page.goto(publicUrl(suite.service, '/'));
    await page.getByLabel('Your work email address').fill(`someone.${javaScript ? 'js' : 'nojs'}@contractor.com`);
    await sendButton(page).click();

    const link = page.locator('#email-error').getByRole('link', { name: '/contractors' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/contractors');
    await context.close();
  });

  it('names the canonical address it wrote to', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    await page.goto(publicUrl(suite.service, '/'));
    await page.getByLabel('Your work email address').fill(`Pat.Echo.${javaScript ? 'JS' : 'NoJS'}@Agency.GOV`);
    await sendButton(page).click();

    await expectHeading(page, 'Check your email');
    expect(await page.locator('[data-echo="email"]').textContent()).toBe(`pat.echo.${javaScript ? 'js' : 'nojs'}@agency.gov`);
    await context.close();
  });
});

describe('the justification’s character count (JavaScript on)', () => {
  it('counts down from the server’s limit as one types', async () => {
    const { context, page } = await openPage(suite.browser);
    await page.goto(publicUrl(suite.service, '/contractors'));
    await page.getByLabel('Justification').fill('x'.repeat(10));

    await expect.poll(() => page.locator('.usa-character-count__status').textContent()).toBe('990 characters left');
    await context.close();
  });
});

describe('government-site basics', () => {
  it('a Privacy Act statement on both forms, and the operator’s policy links in the footer', async () => {
    const { context, page } = await openPage(suite.browser);
    for (const path of ['/', '/contractors']) {
      await page.goto(publicUrl(suite.service, path));
      expect(await page.getByRole('heading', { name: 'Privacy Act statement' }).isVisible(), path).toBe(true);
      const footer = page.getByRole('contentinfo');
      expect(await footer.getByRole('link', { name: 'Privacy policy' }).getAttribute('href')).toBe('https://agency.example.gov/privacy');
      expect(await footer.getByRole('link', { name: 'Accessibility support' }).getAttribute('href')).toBe(
        'https://agency.example.gov/a11y',
      );
      expect(await page.textContent('body')).not.toMatch(/real personal data/i);
    }
    await context.close();
  });
});
