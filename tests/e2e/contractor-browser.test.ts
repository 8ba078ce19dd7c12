import { describe, expect, it } from 'vitest';
import { expectHeading, linkIn, openPage, publicUrl, REVIEW_LINK, useServiceAndBrowser, VERIFY_LINK } from '../support/browser';
import { signInByCodeOn } from './sponsor-steps';

const suite = useServiceAndBrowser();

const DECISIONS = [
  { button: 'Approve', sponsorSees: 'You approved the request', contractorGets: 'Your sandbox access is approved' },
  { button: 'Deny', sponsorSees: 'You denied the request', contractorGets: 'Your sandbox access request was not approved' },
] as const;

describe.each(
  DECISIONS.flatMap((decision) => [true, false].map((javaScript) => ({ ...decision, javaScript, js: javaScript ? 'on' : 'off' }))),
)('a contractor and a sponsor in a real browser: $button, JavaScript $js', ({ button, sponsorSees, contractorGets, javaScript }) => {
  it('request → contractor confirms → sponsor emailed only then → review, signed out → sponsor signs in → decision → contractor emailed', async () => {
    const tag = `${button.toLowerCase()}.${javaScript ? 'js' : 'nojs'}`;
    const contractor = `casey.${tag}@acme-corp.com`;
    const sponsor = `pat.${tag}@agency.gov`;
    const justification = `Building the benefits integration (${tag}).`;

    const { context, page } = await openPage(suite.browser, { javaScript });
    await page.goto(publicUrl(suite.service, '/contractors'));
    await expectHeading(page, 'Request sponsored sandbox access');
    await page.getByLabel('Full name').fill('Casey Contractor');
    await page.getByLabel('Your work email address').fill(contractor);
    await page.getByLabel('Company').fill('Acme Corp');
    await page.getByLabel('Your sponsor’s email address').fill(sponsor);
    await page.getByLabel('Justification').fill(justification);
    await page.getByRole('button', { name: 'Send me a confirmation link' }).click();
    await expectHeading(page, 'Check your email');
    expect(new URL(page.url()).pathname).toBe(javaScript ? '/contractors' : '/sponsorships');

    const verifyLink = await linkIn(suite.service, contractor, VERIFY_LINK);
    expect((await suite.service.emailsTo(contractor)).map((email) => email.subject)).toEqual([
      'Confirm your email address for the sandbox',
    ]);
    // The sponsor hears nothing until the contractor has proved their address.
    expect(await suite.service.emailsTo(sponsor)).toHaveLength(0);

    await page.goto(verifyLink);
    await expectHeading(page, 'Confirm your email address');
    expect(await suite.service.emailsTo(sponsor)).toHaveLength(0);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expectHeading(page, 'Waiting for your sponsor');

    const reviewLink = await linkIn(suite.service, sponsor, REVIEW_LINK);
    expect((await suite.service.emailsTo(sponsor)).map((email) => email.subject)).toEqual([
      'A sandbox access request names you as sponsor',
    ]);

    // The sponsor is another person: their own browser context.
    const sponsorSide = await openPage(suite.browser, { javaScript });
    const review = sponsorSide.page;
    await review.goto(reviewLink);
    await expectHeading(review, 'Review a sponsorship request');
    const details = (await review.getByRole('main').textContent()) ?? '';
    for (const fact of ['Casey Contractor', contractor, 'Acme Corp', justification]) expect(details).toContain(fact);
    // The link alone decides nothing: signed out, the page offers only to sign in, and brings the sponsor back.
    expect(await review.getByRole('button', { name: button, exact: true }).count()).toBe(0);
    await review.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(review, suite.service, sponsor);
    await expectHeading(review, 'Review a sponsorship request');
    expect(review.url()).toBe(reviewLink);
    const reason = `${button} from the browser test (${tag})`;
    await review.getByLabel('Reason, sent to the contractor (optional)', { exact: true }).fill(reason);
    await review.getByRole('button', { name: button, exact: true }).click();
    await expectHeading(review, sponsorSees);
    if (javaScript) expect(review.url()).toBe(reviewLink);
    else expect(new URL(review.url()).searchParams.has('outcome')).toBe(true);

    await expect
      .poll(async () => (await suite.service.emailsTo(contractor)).map((email) => email.subject), { timeout: 10_000 })
      .toEqual(['Confirm your email address for the sandbox', contractorGets]);
    const outcome = (await suite.service.emailsTo(contractor)).at(-1);
    if (button === 'Deny') expect(outcome?.body.text).toContain(reason);
    // One review email, the sign-in code, then the receipt of the decision; no more.
    await expect
      .poll(async () => (await suite.service.emailsTo(sponsor)).map((email) => email.subject), { timeout: 10_000 })
      .toEqual([
        'A sandbox access request names you as sponsor',
        expect.stringMatching(/^Your sandbox sign-in code: \d{6}$/),
        `You ${button === 'Approve' ? 'approved' : 'denied'} a sandbox access request`,
      ]);

    await sponsorSide.context.close();
    await context.close();
  });
});
