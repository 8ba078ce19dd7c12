import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServiceAndBrowser } from '../support/browser';

const suite = useServiceAndBrowser();

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

async function linkIn(address: string, pattern: RegExp): Promise<string> {
  const text = (await suite.service.emailsTo(address)).at(-1)?.body.text ?? '';
  const link = pattern.exec(text)?.[0];
  if (!link) throw new Error(`no link to ${address}`);
  return link;
}

describe.each([
  ['Approve', 'You approved the request', 'Your sandbox access is approved'],
  ['Deny', 'You denied the request', 'Your sandbox access request was not approved'],
])('a contractor and a sponsor in a real browser (%s)', (button, sponsorSees, contractorGets) => {
  it('request → confirm → sponsor reviews → decision → contractor emailed', async () => {
    const contractor = `casey.${button.toLowerCase()}@acme-corp.com`;
    const sponsor = `pat.${button.toLowerCase()}@agency.gov`;
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${suite.service.baseUrl.replace('127.0.0.1', 'localhost')}/contractors`);
    await page.getByLabel('Full name').fill('Casey Contractor');
    await page.getByLabel('Your work email address').fill(contractor);
    await page.getByLabel('Company').fill('Acme Corp');
    await page.getByLabel('Your sponsor’s email address').fill(sponsor);
    await page.getByLabel('Why you need sandbox access').fill('Building the benefits integration.');
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expect.poll(() => heading(page)).toBe('Check your email');
    expect(await suite.service.emailsTo(sponsor)).toHaveLength(0);

    await page.goto(await linkIn(contractor, /http:\/\/\S+\/verify\?token=[A-Za-z0-9_-]+/));
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect.poll(() => heading(page)).toBe('Waiting for your sponsor');

    const review = await context.newPage();
    await review.goto(await linkIn(sponsor, /http:\/\/\S+\/sponsorships\/review\?token=[A-Za-z0-9._-]+/));
    expect(await heading(review)).toBe('Review a sponsorship request');
    expect(await review.locator('main').textContent()).toContain('Acme Corp');
    await review.getByLabel('Reason (optional; sent to the contractor)').fill(`${button} from the browser test`);
    await review.getByRole('button', { name: button, exact: true }).click();
    await expect.poll(() => heading(review)).toBe(sponsorSees);

    const outcome = (await suite.service.emailsTo(contractor)).at(-1);
    expect(outcome?.subject).toBe(contractorGets);
    await context.close();
  });
});
