import { describe, expect, it } from 'vitest';
import { useServiceAndBrowser } from '../support/browser';

const suite = useServiceAndBrowser();

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a person signs up in a real browser %s', (_label, javaScriptEnabled) => {
  it('types a .gov address, follows the emailed link, confirms, and is active', async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const address = `person.${javaScriptEnabled ? 'js' : 'nojs'}@agency.gov`;
    await page.goto(`${suite.service.baseUrl.replace('127.0.0.1', 'localhost')}/`);
    await page.getByLabel('Work email address').fill(address);
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');

    const [email] = await suite.service.emailsTo(address);
    const link = /(http:\/\/\S+\/verify\?token=[A-Za-z0-9_-]+)/.exec(email?.body.text ?? '')?.[1];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm your email address');
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Your sandbox account is active');
    await context.close();
  });
});

describe('the sign-up form in a real browser', () => {
  it('shows an error tied to the field for a contractor address', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.service.baseUrl}/`);
    await page.getByLabel('Work email address').fill('someone@contractor.com');
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    const field = page.getByLabel('Work email address');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const described = (await field.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${described.split(' ').at(-1)}"]`).textContent();
    expect(message).toContain('.gov and .mil');
    await context.close();
  });
});
