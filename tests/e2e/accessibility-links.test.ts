import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { expectHeading, openPage, publicUrl } from '../support/browser';
import { useAccessibilityAudit } from './accessibility-audit';
import { signInByCodeOn } from './sponsor-steps';

/** The pages behind emailed links (confirmation, sponsor review signed out and in) in every state, and the emails themselves. */
const { suite, audit, open, unique, signedUp, requested, awaitingDecision, decide, decideIn, sessionOfPage } = useAccessibilityAudit();

describe('email confirmation', () => {
  it('confirmation page (the emailed link)', async () => {
    const { link } = await signedUp();
    const view = await open(true);
    await view.page.goto(link);
    await expectHeading(view.page, 'Confirm your email address');
    await view.audit('confirm');
    await view.close();
  });

  // One status answered in place (JavaScript), the other as its own page: both renderings audited.
  it.each([
    ['active, with JavaScript (answered in place)', true, 'gov', 'Your sandbox account is active', 'active'],
    ['awaiting_sponsor, without JavaScript (its own page)', false, 'contractor', 'Waiting for your sponsor', 'awaiting-sponsor'],
  ] as const)('verified outcome: %s', async (_label, javaScript, who, heading, name) => {
    const { link } = who === 'gov' ? await signedUp() : await requested();
    const view = await open(javaScript);
    await view.page.goto(link);
    await view.page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expectHeading(view.page, heading);
    // In place, the URL is still the link; without JavaScript, the outcome's page the POST redirected to (no token in the URL).
    if (javaScript) expect(view.page.url()).toBe(link);
    else expect(new URL(view.page.url()).searchParams.has('token')).toBe(false);
    await view.audit(name);
    await view.close();
  });

  it('used link (GET of a link whose work is done)', async () => {
    const { link } = await signedUp();
    const token = new URL(link).searchParams.get('token') ?? '';
    expect((await suite.service.postJson('/verify', { token })).status).toBe(200);
    const view = await open(true);
    const response = await view.page.goto(link);
    expect(response?.status()).toBe(200);
    await expectHeading(view.page, 'Your sandbox account is active');
    expect(await view.page.getByRole('status').textContent()).toContain('This link has already been used');
    await view.audit('link-used');
    await view.close();
  });

  it('invalid link (GET /verify?token=bad)', async () => {
    const view = await open(true);
    const response = await view.page.goto(publicUrl(suite.service, '/verify?token=bad'));
    expect(response?.status()).toBe(400);
    await expectHeading(view.page, 'This link is not valid');
    await view.audit('link-invalid');
    await view.close();
  });

  it('expired link', async () => {
    const { address, link } = await signedUp();
    // As if the link's lifetime had passed: an operator's edit of the account's expiry.
    await suite.service.documentClient().send(
      new UpdateCommand({
        TableName: 'sandbox-gatekeeper',
        Key: { pk: `ACCOUNT#${address}`, sk: 'ACCOUNT' },
        UpdateExpression: 'SET verifyLinks[0].expiresAt = :past',
        ConditionExpression: 'size(verifyLinks) = :one',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60, ':one': 1 },
      }),
    );
    const view = await open(true);
    const response = await view.page.goto(link);
    expect(response?.status()).toBe(410);
    await expectHeading(view.page, 'This link has expired');
    await view.audit('link-expired');
    await view.close();
  });
});

describe('sponsor review', () => {
  it('review page, signed out (the request, and the way to sign in)', async () => {
    const { contractor, reviewLink } = await awaitingDecision();
    const view = await open(true);
    await view.page.goto(reviewLink);
    await expectHeading(view.page, 'Review a sponsorship request');
    expect(await view.page.getByRole('main').textContent()).toContain(contractor);
    expect(await view.page.getByRole('link', { name: 'Sign in to decide' }).count()).toBe(1);
    expect(await view.page.getByRole('button', { name: /^(Approve|Deny)$/ }).count()).toBe(0);
    await view.audit('review');
    await view.close();
  });

  it('review page, signed in as someone else (a warning, no buttons)', async () => {
    const { reviewLink } = await awaitingDecision();
    const someoneElse = `${unique('lee')}@agency.gov`;
    const view = await open(true);
    await view.page.goto(reviewLink);
    await view.page.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(view.page, suite.service, someoneElse);
    await expectHeading(view.page, 'Review a sponsorship request');
    expect(view.page.url()).toBe(reviewLink);
    const main = (await view.page.getByRole('main').textContent()) ?? '';
    expect(main).toContain(`You are signed in as ${someoneElse}, but this request names another sponsor.`);
    expect(await view.page.getByRole('button', { name: /^(Approve|Deny)$/ }).count()).toBe(0);
    await view.audit('review-someone-else');
    await view.close();
  });

  // Signed in as the sponsor. One outcome answered in place (JavaScript), the other as its own page: both renderings audited.
  it.each([
    ['approved, with JavaScript (answered in place)', true, 'Approve', 'You approved the request', 'approved'],
    ['denied, without JavaScript (its own page)', false, 'Deny', 'You denied the request', 'denied'],
  ] as const)('decision outcome: %s', async (_label, javaScript, button, heading, name) => {
    const { sponsor, reviewLink } = await awaitingDecision();
    const view = await open(javaScript);
    await view.page.goto(reviewLink);
    await view.page.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(view.page, suite.service, sponsor);
    await expectHeading(view.page, 'Review a sponsorship request');
    if (javaScript) await view.audit('review-signed-in');
    await view.page.getByLabel('Reason, sent to the contractor (optional)', { exact: true }).fill('Checked with the project lead.');
    await view.page.getByRole('button', { name: button, exact: true }).click();
    await expectHeading(view.page, heading);
    // Without JavaScript, the POST redirected to the outcome's page (a GET): a reload decides nothing again.
    expect(new URL(view.page.url()).pathname).toBe('/sponsorships/review');
    await view.audit(name);
    await view.close();
  });

  it('already-decided review page (GET of the link after the decision)', async () => {
    const request = await awaitingDecision();
    await decide(request, 'approve');
    const view = await open(true);
    await view.page.goto(request.reviewLink);
    await expectHeading(view.page, 'This request is already decided');
    await view.audit('already-decided');
    await view.close();
  });

  it('already decided while the review page was open (JavaScript, 409 answered in place)', async () => {
    const { sponsor, reviewLink } = await awaitingDecision();
    const view = await open(true);
    await view.page.goto(reviewLink);
    await view.page.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(view.page, suite.service, sponsor);
    await expectHeading(view.page, 'Review a sponsorship request');
    // The same sponsor decides meanwhile, in another tab (the same session).
    await decideIn(await sessionOfPage(view.page), reviewLink, 'deny');
    await view.page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectHeading(view.page, 'This request is already decided');
    expect(await view.page.getByRole('main').textContent()).toContain('The request was denied');
    await view.audit('already-decided-in-place');
    await view.close();
  });
});

describe('emails, rendered from the mailbox', () => {
  it('verification, sponsor request, sign-in code, outcome and receipt emails (screenshot, then axe)', async () => {
    const { contractor, sponsor, reviewLink } = await awaitingDecision();
    const verification = (await suite.service.emailsTo(contractor)).at(-1);
    const request = (await suite.service.emailsTo(sponsor)).at(-1);
    expect(verification?.subject).toBe('Confirm your email address for the sandbox');
    expect(request?.subject).toBe('A sandbox access request names you as sponsor');
    await decide({ sponsor, reviewLink }, 'deny');
    await expect
      .poll(async () => (await suite.service.emailsTo(contractor)).at(-1)?.subject, { timeout: 10_000 })
      .toBe('Your sandbox access request was not approved');
    await expect
      .poll(async () => (await suite.service.emailsTo(sponsor)).at(-1)?.subject, { timeout: 10_000 })
      .toBe('You denied a sandbox access request');
    const outcome = await suite.service.emailsTo(contractor);
    const [, code, receipt] = await suite.service.emailsTo(sponsor);
    expect(code?.subject).toMatch(/^Your sandbox sign-in code: \d{6}$/);

    const { context, page } = await openPage(suite.browser);
    for (const [email, name, heading] of [
      [verification, 'email-verification', 'Confirm your email address for the sandbox'],
      [request, 'email-sponsor-request', 'A sandbox access request names you as sponsor'],
      [code, 'email-sign-in-code', code?.subject ?? ''],
      [outcome.at(-1), 'email-denied', 'Your sandbox access request was not approved'],
      [receipt, 'email-decision-receipt', 'You denied a sandbox access request'],
    ] as const) {
      expect(email?.body.html, `${name}: the email has an HTML part`).toBeTruthy();
      await page.setContent(email?.body.html ?? '');
      await expectHeading(page, heading);
      await audit(page, name, `the HTML part of "${heading}"`);
    }
    await context.close();
  });
});
