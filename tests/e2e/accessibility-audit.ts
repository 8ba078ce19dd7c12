import type { Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import {
  accessibilityViolations,
  blockScripts,
  linkIn,
  openPage,
  REVIEW_LINK,
  saveScreenshot,
  screenshotDir,
  useServiceAndBrowser,
  VERIFY_LINK,
} from '../support/browser';

/**
 * For the accessibility files: one service and one Chromium per file, and the audit of a page
 * state: a full-page screenshot (for review and the docs) first, so that a failing state is
 * still on file, then axe-core's WCAG 2.1 A/AA rules, which must find nothing. States reached
 * without JavaScript are loaded with scripts blocked (the page's own scripts never run); axe is
 * injected only once the state is on screen.
 */
export function useAccessibilityAudit() {
  const suite = useServiceAndBrowser();
  const written: string[] = [];
  let serial = 0;

  afterAll(() => {
    if (written.length) console.info(`Screenshots (${written.length}) in ${screenshotDir()}: ${written.sort().join(', ')}`);
  });

  /** Screenshot, then axe; the failure message names each rule, its impact and the elements. */
  async function audit(page: Page, name: string, where = new URL(page.url()).pathname): Promise<void> {
    await saveScreenshot(page, `${name}.png`);
    written.push(`${name}.png`);
    const violations = await accessibilityViolations(page);
    expect(violations, `axe found WCAG 2.1 A/AA violations on "${name}" (${where}):\n  ${violations.join('\n  ')}\n`).toEqual([]);
  }

  /** A page in a fresh context; `javaScript: false` loads pages with their scripts blocked. */
  async function open(javaScript: boolean) {
    const { context, page } = await openPage(suite.browser);
    const scripts = javaScript ? undefined : await blockScripts(page);
    return {
      page,
      close: () => context.close(),
      /** Screenshot and axe; without JavaScript, lets axe's own script run first. */
      audit: async (name: string) => {
        await scripts?.allowScripts();
        await audit(page, name);
      },
    };
  }

  const unique = (prefix: string) => `${prefix}.${++serial}`;

  /** A .gov sign-up made over HTTP; returns its address and the emailed link. */
  async function signedUp(): Promise<{ address: string; link: string }> {
    const address = `${unique('a11y')}@agency.gov`;
    expect((await suite.service.postForm('/signup', { email: address })).status).toBe(202);
    return { address, link: await linkIn(suite.service, address, VERIFY_LINK) };
  }

  /** A contractor's request made over HTTP; returns the contractor's address and link. */
  async function requested(): Promise<{ contractor: string; sponsor: string; link: string }> {
    const contractor = `${unique('casey')}@acme-corp.com`;
    const sponsor = `${unique('pat')}@agency.gov`;
    const response = await suite.service.postForm('/sponsorships', {
      name: 'Casey Contractor',
      email: contractor,
      company: 'Acme Corp',
      sponsorEmail: sponsor,
      justification: 'Building the benefits integration for the agency.',
    });
    expect(response.status).toBe(202);
    return { contractor, sponsor, link: await linkIn(suite.service, contractor, VERIFY_LINK) };
  }

  /** A request whose contractor has confirmed: returns the sponsor's review link. */
  async function awaitingDecision(): Promise<{ contractor: string; sponsor: string; reviewLink: string }> {
    const { contractor, sponsor, link } = await requested();
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(await (await suite.service.postJson('/verify', { token })).json()).toEqual({ status: 'awaiting_sponsor' });
    return { contractor, sponsor, reviewLink: await linkIn(suite.service, sponsor, REVIEW_LINK) };
  }

  async function decide(reviewLink: string, decision: 'approve' | 'deny'): Promise<void> {
    const token = new URL(reviewLink).searchParams.get('token') ?? '';
    expect((await suite.service.postJson('/sponsorships/decision', { token, decision })).status).toBe(200);
  }

  return { suite, audit, open, unique, signedUp, requested, awaitingDecision, decide };
}

export async function fillContractorForm(page: Page, fields: { email: string; sponsorEmail: string }): Promise<void> {
  await page.getByLabel('Full name').fill('Casey Contractor');
  await page.getByLabel('Your work email address').fill(fields.email);
  await page.getByLabel('Company').fill('Acme Corp');
  await page.getByLabel('Your sponsor’s email address').fill(fields.sponsorEmail);
  await page.getByLabel('Why you need sandbox access').fill('Building the benefits integration for the agency.');
}
