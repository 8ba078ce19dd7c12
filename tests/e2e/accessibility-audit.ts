import type { Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import {
  accessibilityViolations,
  linkIn,
  openPage,
  REVIEW_LINK,
  STEP_TIMEOUT_MS,
  saveScreenshot,
  screenshotDir,
  useServiceAndBrowser,
  VERIFY_LINK,
} from '../support/browser';
import { decideAs, type SponsorSignIn, signInByCode } from '../support/sponsor-session';
import { sessionOfPage, shortenAccess } from './sponsor-steps';

/**
 * For the accessibility files: one service and one Chromium per file, and the audit of a page
 * state: a full-page screenshot (for review and the docs) first, so that a failing state is
 * still on file, then axe-core's WCAG 2.1 A/AA rules, which must find nothing. States reached
 * without JavaScript are loaded with the page's scripts disabled (they never run); axe is let in
 * only while a state is audited, and scripts are disabled again for the next page.
 */
export function useAccessibilityAudit(env: Record<string, string> = {}) {
  const suite = useServiceAndBrowser(env);
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

  /**
   * A page in a fresh context. `javaScript: false`: every page it loads runs none of its own
   * scripts (DevTools' script execution switch, held for the page's life; axe cannot run in a
   * `javaScriptEnabled: false` context). Each audit turns scripts on only for axe, then off again.
   */
  async function open(javaScript: boolean) {
    const { context, page } = await openPage(suite.browser);
    const devtools = javaScript ? undefined : await context.newCDPSession(page);
    const scripts = async (disabled: boolean) => {
      await devtools?.send('Emulation.setScriptExecutionDisabled', { value: disabled });
    };
    await scripts(true);
    return {
      page,
      context,
      close: () => context.close(),
      /** Screenshot and axe; without JavaScript, axe's own script runs and the page's stay unrun. */
      audit: async (name: string) => {
        await scripts(false);
        try {
          await audit(page, name);
        } finally {
          await scripts(true);
        }
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

  /** A contractor's request made over HTTP (naming `sponsor`, or a new one); returns the contractor's address and link. */
  async function requested(
    options: { sponsor?: string; name?: string } = {},
  ): Promise<{ contractor: string; sponsor: string; link: string }> {
    const contractor = `${unique('casey')}@acme-corp.com`;
    const sponsor = options.sponsor ?? `${unique('pat')}@agency.gov`;
    const response = await suite.service.postForm('/sponsorships', {
      name: options.name ?? 'Casey Contractor',
      email: contractor,
      company: 'Acme Corp',
      sponsorEmail: sponsor,
      justification: 'Building the benefits integration for the agency.',
    });
    expect(response.status).toBe(202);
    return { contractor, sponsor, link: await linkIn(suite.service, contractor, VERIFY_LINK) };
  }

  /** A request whose contractor has confirmed: returns the sponsor's review link. */
  async function awaitingDecision(
    options: { sponsor?: string; name?: string } = {},
  ): Promise<{ contractor: string; sponsor: string; reviewLink: string }> {
    const { contractor, sponsor, link } = await requested(options);
    const reviews = async () => (await suite.service.emailsTo(sponsor)).filter((email) => REVIEW_LINK.test(email.body.text ?? ''));
    const before = (await reviews()).length;
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(await (await suite.service.postJson('/verify', { token })).json()).toEqual({ status: 'awaiting_sponsor' });
    await expect
      .poll(async () => (await reviews()).length, { timeout: STEP_TIMEOUT_MS, message: `a review email to ${sponsor}` })
      .toBe(before + 1);
    const reviewLink = REVIEW_LINK.exec((await reviews()).at(-1)?.body.text ?? '')?.[0] ?? '';
    return { contractor, sponsor, reviewLink };
  }

  /** The sponsor decides over HTTP, signed in by the emailed code (a session of its own, not a browser's). */
  async function decide(request: { sponsor: string; reviewLink: string }, decision: 'approve' | 'deny'): Promise<void> {
    const session = await signInByCode(suite.service, request.sponsor);
    await decideIn(session, request.reviewLink, decision);
  }

  /** A decision in `session` (e.g. the one a browser holds: {@link sessionOfPage}) on the review link's request. */
  async function decideIn(session: SponsorSignIn, reviewLink: string, decision: 'approve' | 'deny'): Promise<void> {
    const token = new URL(reviewLink).searchParams.get('token') ?? '';
    expect((await decideAs(suite.service, session, { token, decision })).status).toBe(200);
  }

  return {
    suite,
    audit,
    open,
    unique,
    signedUp,
    requested,
    awaitingDecision,
    decide,
    decideIn,
    sessionOfPage: (page: Page) => sessionOfPage(suite.service, page),
    shortenAccess: (contractor: string) => shortenAccess(suite.service, contractor),
  };
}

export async function fillContractorForm(page: Page, fields: { email: string; sponsorEmail: string }): Promise<void> {
  await page.getByLabel('Full name').fill('Casey Contractor');
  await page.getByLabel('Your work email address').fill(fields.email);
  await page.getByLabel('Company').fill('Acme Corp');
  await page.getByLabel('Your sponsor’s email address').fill(fields.sponsorEmail);
  await page.getByLabel('Justification').fill('Building the benefits integration for the agency.');
}
