import { describe, expect, it } from 'vitest';
import { accessibilityViolations, expectHeading, openPage, publicUrl } from '../support/browser';
import { fillContractorForm, useAccessibilityAudit } from './accessibility-audit';

/** The forms people fill in, in every state (empty, error, success; with and without JavaScript), the sponsor's sign-in error, and the 404 page. */
const { suite, open, unique } = useAccessibilityAudit();

describe('sign-up page', () => {
  it('empty', async () => {
    const view = await open(true);
    await view.page.goto(publicUrl(suite.service, '/'));
    await expectHeading(view.page, 'Create a sandbox account');
    await view.audit('signup');
    await view.close();
  });

  it.each([
    ['with JavaScript (answered in place)', true, 'signup-error'],
    ['without JavaScript (server-rendered)', false, 'signup-error-nojs'],
  ])('with an error %s', async (_label, javaScript, name) => {
    const view = await open(javaScript);
    await view.page.goto(publicUrl(suite.service, '/'));
    await view.page.getByLabel('Work email address').fill(`${unique('someone')}@contractor.com`);
    await view.page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await view.page.getByRole('alert').waitFor();
    expect(new URL(view.page.url()).pathname).toBe(javaScript ? '/' : '/signup');
    await view.audit(name);
    await view.close();
  });

  it.each([
    ['with JavaScript (answered in place)', true, 'signup-sent'],
    ['without JavaScript (its own page)', false, 'signup-sent-nojs'],
  ])('success %s', async (_label, javaScript, name) => {
    const view = await open(javaScript);
    await view.page.goto(publicUrl(suite.service, '/'));
    await view.page.getByLabel('Work email address').fill(`${unique('sent')}@agency.gov`);
    await view.page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expectHeading(view.page, 'Check your email');
    expect(new URL(view.page.url()).pathname).toBe(javaScript ? '/' : '/signup');
    await view.audit(name);
    await view.close();
  });
});

describe('contractor request page', () => {
  it('empty', async () => {
    const view = await open(true);
    await view.page.goto(publicUrl(suite.service, '/contractors'));
    await expectHeading(view.page, 'Request sponsored sandbox access');
    await view.audit('contractor');
    await view.close();
  });

  it.each([
    ['with JavaScript (answered in place)', true, 'contractor-error'],
    ['without JavaScript (server-rendered)', false, 'contractor-error-nojs'],
  ])('with an error %s', async (_label, javaScript, name) => {
    const view = await open(javaScript);
    await view.page.goto(publicUrl(suite.service, '/contractors'));
    // A sponsor who is not an agency employee: the error is on the last address field.
    await fillContractorForm(view.page, { email: `${unique('casey')}@acme-corp.com`, sponsorEmail: `${unique('boss')}@acme-corp.com` });
    await view.page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await view.page.getByRole('alert').waitFor();
    expect(await view.page.getByLabel('Your sponsor’s email address').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(view.page.url()).pathname).toBe(javaScript ? '/contractors' : '/sponsorships');
    await view.audit(name);
    await view.close();
  });

  // The in-place answer is the same "Check your email" content the sign-up page's test audits with JavaScript.
  it('success without JavaScript (its own page)', async () => {
    const view = await open(false);
    await view.page.goto(publicUrl(suite.service, '/contractors'));
    await fillContractorForm(view.page, { email: `${unique('casey')}@acme-corp.com`, sponsorEmail: `${unique('pat')}@agency.gov` });
    await view.page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expectHeading(view.page, 'Check your email');
    expect(new URL(view.page.url()).pathname).toBe('/sponsorships');
    await view.audit('contractor-sent');
    await view.close();
  });
});

describe('sponsor sign-in page', () => {
  // Empty, the code page and a wrong code are audited on the sponsor's journey (sponsor-sign-in-code.test.ts).
  it('with an error (server-rendered: the form is not enhanced)', async () => {
    const view = await open(false);
    await view.page.goto(publicUrl(suite.service, '/sign-in'));
    await expectHeading(view.page, 'Sign in as a sponsor');
    // Not an agency address: nobody there can sponsor, so no code is sent.
    const address = `${unique('boss')}@acme-corp.com`;
    await view.page.getByLabel('Your work email address').fill(address);
    await view.page.getByRole('button', { name: 'Email me a code' }).click();
    await view.page.getByRole('alert').waitFor();
    expect(await view.page.title()).toMatch(/^Error: Sign in as a sponsor/);
    expect(await view.page.getByRole('alert').getByRole('link').getAttribute('href')).toBe('#email');
    const field = view.page.getByLabel('Your work email address');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(((await field.getAttribute('aria-describedby')) ?? '').split(' ').sort()).toEqual(['email-error', 'email-hint']);
    expect(await field.inputValue()).toBe(address);
    expect(new URL(view.page.url()).pathname).toBe('/sign-in/code');
    expect(await suite.service.emailsTo(address)).toHaveLength(0);
    await view.audit('sign-in-error');
    await view.close();
  });
});

describe('other pages', () => {
  it('404 page', async () => {
    const view = await open(true);
    const response = await view.page.goto(publicUrl(suite.service, '/no-such-page'));
    expect(response?.status()).toBe(404);
    await expectHeading(view.page, 'Page not found');
    await view.audit('not-found');
    await view.close();
  });
});

describe('the audit itself', () => {
  it('reports a known violation readably (so a clean result means something)', async () => {
    const { context, page } = await openPage(suite.browser);
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><input id="nameless"></main></body></html>',
    );
    const violations = await accessibilityViolations(page);
    expect(violations.find((line) => line.startsWith('label '))).toMatch(/^label \(critical\): .+ → #nameless$/);
    await context.close();
  });
});
