import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectHeading, linkIn, openPage, publicUrl, STEP_TIMEOUT_MS, useServiceAndBrowser, VERIFY_LINK } from '../support/browser';

const suite = useServiceAndBrowser();

const emailField = (page: Page) => page.getByLabel('Work email address');
const submitButton = (page: Page) => page.getByRole('button', { name: 'Send me a confirmation link' });

function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

async function expectFocused(locator: Locator, what: string): Promise<void> {
  await expect.poll(() => isFocused(locator), { timeout: STEP_TIMEOUT_MS, message: `${what} has focus` }).toBe(true);
}

/** Counts the main frame's navigations from now on (fetch answers in place navigate nothing). */
function countNavigations(page: Page): () => number {
  let count = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) count++;
  });
  return () => count;
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a .gov person signs up in a real browser %s', (_label, javaScript) => {
  it('types the address, follows the emailed link, confirms, and is active', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    const address = `person.${javaScript ? 'js' : 'nojs'}@agency.gov`;
    await page.goto(publicUrl(suite.service, '/'));
    await expectHeading(page, 'Create a sandbox account');
    if (javaScript) await page.evaluate(() => Object.assign(window, { e2eMarker: 'set before submit' }));
    const navigations = countNavigations(page);

    await emailField(page).fill(address);
    await page.getByLabel('Full name').fill('Pat Person');
    await submitButton(page).click();
    await expectHeading(page, 'Check your email');
    if (javaScript) {
      // Answered in place by fetch: same document, same URL, no navigation.
      expect(page.url()).toBe(publicUrl(suite.service, '/'));
      expect(navigations()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('set before submit');
    } else {
      expect(new URL(page.url()).pathname).toBe('/signup');
    }

    const link = await linkIn(suite.service, address, VERIFY_LINK);
    const emails = await suite.service.emailsTo(address);
    expect(emails.map((email) => email.subject)).toEqual(['Confirm your email address for the sandbox']);
    expect(link.startsWith(publicUrl(suite.service, '/verify?token='))).toBe(true);

    await page.goto(link);
    await expectHeading(page, 'Confirm your email address');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expectHeading(page, 'Your sandbox account is active');
    if (javaScript) expect(page.url()).toBe(link);
    else expect([...new URL(page.url()).searchParams.keys()]).toEqual(['outcome']);
    await context.close();
  });
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the sign-up form refuses a contractor address %s', (_label, javaScript) => {
  it('shows an error summary linking to the field, and the message tied to the field', async () => {
    const { context, page } = await openPage(suite.browser, { javaScript });
    const address = `someone.${javaScript ? 'js' : 'nojs'}@contractor.com`;
    await page.goto(publicUrl(suite.service, '/'));
    await emailField(page).fill(address);
    await submitButton(page).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.getByRole('heading').textContent()).toBe('There is a problem');
    const summaryLink = summary.getByRole('link');
    expect(await summaryLink.getAttribute('href')).toBe('#email');
    const message = (await summaryLink.textContent())?.trim() ?? '';
    expect(message).toContain('.gov and .mil');

    const field = emailField(page);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    expect(describedBy).toContain('email-error');
    expect(describedBy).toContain('email-hint');
    expect((await page.locator('#email-error').textContent())?.trim()).toBe(message);
    expect(await field.inputValue()).toBe(address);
    // The name field is not at fault.
    expect(await page.getByLabel('Full name').getAttribute('aria-invalid')).toBeNull();

    if (javaScript) {
      await expectFocused(summary, 'the error summary');
      expect(page.url()).toBe(publicUrl(suite.service, '/'));
    } else {
      expect(new URL(page.url()).pathname).toBe('/signup');
      expect(await page.title()).toMatch(/^Error: /);
    }
    expect(await suite.service.emailsTo(address)).toHaveLength(0);
    await context.close();
  });
});

describe('the sign-up form with the keyboard only (JavaScript on)', () => {
  it('skip link, email, name, button, Enter: the success heading gets focus; focus is visible', async () => {
    const { context, page } = await openPage(suite.browser);
    const address = 'keyboard.user@agency.gov';
    await page.goto(publicUrl(suite.service, '/'));

    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Skip to main content' });
    await expectFocused(skipLink, 'the skip link (first Tab)');
    expect(await skipLink.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await expectFocused(page.getByRole('main'), 'main (after Enter on the skip link)');

    // Inside main, in reading order: the contractors link in the intro, then the form.
    await page.keyboard.press('Tab');
    await expectFocused(page.getByRole('link', { name: 'request sponsored access' }), 'the contractors link');
    await page.keyboard.press('Tab');
    const email = emailField(page);
    await expectFocused(email, 'the email field');
    const focusStyle = await email.evaluate((element) => {
      const style = getComputedStyle(element);
      return { outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth };
    });
    expect(focusStyle.outlineStyle).not.toBe('none');
    expect(focusStyle.outlineWidth).not.toBe('0px');
    await page.keyboard.type(address);
    expect(await email.inputValue()).toBe(address);

    await page.keyboard.press('Tab');
    const name = page.getByLabel('Full name');
    await expectFocused(name, 'the name field');
    await page.keyboard.type('Kim Keyboard');
    expect(await name.inputValue()).toBe('Kim Keyboard');

    await page.keyboard.press('Tab');
    const button = submitButton(page);
    await expectFocused(button, 'the submit button');
    expect(await button.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');

    await expectHeading(page, 'Check your email');
    await expectFocused(page.getByRole('heading', { level: 1, name: 'Check your email' }), 'the success heading');
    // The skip link added #main-content; the form was answered in place, on the same page.
    expect(page.url()).toBe(publicUrl(suite.service, '/#main-content'));
    expect((await suite.service.emailsTo(address)).map((sent) => sent.subject)).toEqual(['Confirm your email address for the sandbox']);
    await context.close();
  });
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('someone else’s request, in a real browser %s', (_label, javaScript) => {
  it('the owner selects “This is not my request”: the request is removed and its link does nothing more', async () => {
    const address = `not.mine.${javaScript ? 'js' : 'nojs'}@agency.gov`;
    await suite.service.postJson('/signup', { email: address });
    const link = await linkIn(suite.service, address, VERIFY_LINK);
    const { context, page } = await openPage(suite.browser, { javaScript });

    await page.goto(link);
    await expectHeading(page, 'Confirm your email address');
    expect(await page.getByRole('main').textContent()).toContain(address);
    await page.getByRole('button', { name: 'This is not my request' }).click();
    await expectHeading(page, 'Request removed');

    expect((await page.goto(link))?.status()).toBe(400);
    await context.close();
  });
});
