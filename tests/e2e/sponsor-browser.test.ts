import { describe, expect, it } from 'vitest';
import { expectHeading, linkIn, publicUrl } from '../support/browser';
import { useAccessibilityAudit } from './accessibility-audit';

/** A sponsor manages the contractors they sponsor: ask for a link, open the page, renew one, end another. */
const { suite, open, awaitingDecision, decide } = useAccessibilityAudit();

const MANAGE_LINK = /http:\/\/\S+\/sponsors\/manage\?token=[A-Za-z0-9._-]+/;

/** Two contractors approved by one sponsor; returns the sponsor and the contractors' addresses. */
async function sponsorOfTwo(): Promise<{ sponsor: string; contractors: string[] }> {
  const first = await awaitingDecision();
  await decide(first.reviewLink, 'approve');
  // The second request names the same sponsor.
  const contractor = `second.${first.contractor}`;
  const answer = await suite.service.postJson('/sponsorships', {
    name: 'Robin Second',
    email: contractor,
    company: 'Acme Corp',
    sponsorEmail: first.sponsor,
    justification: 'The same project.',
  });
  expect(answer.status).toBe(202);
  const verify = new URL(await linkIn(suite.service, contractor, /http:\/\/\S+\/verify\?token=[A-Za-z0-9._-]+/));
  expect((await suite.service.postJson('/verify', { token: verify.searchParams.get('token') })).status).toBe(200);
  const reviews = (await suite.service.emailsTo(first.sponsor)).filter((email) => email.subject.includes('names you as sponsor'));
  const review = /\/sponsorships\/review\?token=([A-Za-z0-9._-]+)/.exec(reviews.at(-1)?.body.text ?? '')?.[1];
  expect((await suite.service.postJson('/sponsorships/decision', { token: review, decision: 'approve' })).status).toBe(200);
  return { sponsor: first.sponsor, contractors: [first.contractor, contractor] };
}

describe.each([
  { javaScript: true, js: 'on' },
  { javaScript: false, js: 'off' },
])('a sponsor manages their contractors in a real browser, JavaScript $js', ({ javaScript }) => {
  it('asks for a link, sees both contractors, renews one and ends the other; axe finds nothing', async () => {
    const { sponsor, contractors } = await sponsorOfTwo();
    const view = await open(javaScript);
    const { page } = view;
    // Without JavaScript a view is audited once (auditing lets scripts run from then on): at the end.
    const auditNow = (name: string) => (javaScript ? view.audit(`${name}-js`) : Promise.resolve());

    await page.goto(publicUrl(suite.service, '/sponsors'));
    await expectHeading(page, 'Manage the contractors you sponsor');
    await auditNow('sponsors');
    await page.getByLabel('Your work email address').fill(sponsor);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expectHeading(page, 'Check your email');

    await page.goto(await linkIn(suite.service, sponsor, MANAGE_LINK));
    await expectHeading(page, 'The contractors you sponsor');
    const main = (await page.getByRole('main').textContent()) ?? '';
    for (const contractor of contractors) expect(main).toContain(contractor);
    await auditNow('manage');

    // Keyboard only: the first contractor's Renew button is reachable and works with Enter.
    const firstSection = page.getByRole('region', { name: 'Casey Contractor' });
    const renew = firstSection.getByRole('button', { name: 'Renew' });
    await renew.focus();
    await page.keyboard.press('Enter');
    // With JavaScript the answer replaces the row's form in place (and takes focus); without, it is its own page.
    const answered = javaScript ? firstSection : page.getByRole('main');
    if (javaScript) await expect.poll(() => answered.getByRole('heading', { name: 'Access renewed' }).count()).toBe(1);
    else await expectHeading(page, 'Access renewed');
    expect((await answered.textContent()) ?? '').toMatch(/Access now lasts until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    if (javaScript) expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Access renewed');
    await auditNow('renewed');

    if (!javaScript) await page.getByRole('link', { name: 'Back to the contractors you sponsor' }).click();
    const second = page.getByRole('region', { name: 'Robin Second' });
    await second.getByLabel(/Reason, if you end access/).fill('The work is done.');
    await second.getByRole('button', { name: 'End access' }).click();
    if (javaScript) await expect.poll(() => second.getByRole('heading', { name: 'Access ended' }).count()).toBe(1);
    else await expectHeading(page, 'Access ended');

    await expect
      .poll(async () => (await suite.service.emailsTo(contractors[1]!)).at(-1)?.subject, { timeout: 10_000 })
      .toBe('Your sandbox access was ended');
    expect((await suite.service.emailsTo(contractors[0]!)).at(-1)?.subject).toBe('Your sandbox access is renewed');
    await view.audit(`ended-${javaScript ? 'js' : 'nojs'}`);
    await view.close();
  });
});

describe('the sponsor pages without JavaScript', () => {
  it.each([
    ['the link request page', '/sponsors', 'Manage the contractors you sponsor'],
    ['the management page', 'manage', 'The contractors you sponsor'],
  ])('%s: axe finds nothing', async (_label, path, heading) => {
    const { sponsor } = await sponsorOfTwo();
    if (path === 'manage') await suite.service.postJson('/sponsors/link', { email: sponsor });
    const url = path === 'manage' ? await linkIn(suite.service, sponsor, MANAGE_LINK) : publicUrl(suite.service, path);
    const view = await open(false);
    await view.page.goto(url);
    await expectHeading(view.page, heading);
    await view.audit(path === 'manage' ? 'manage-nojs' : 'sponsors-nojs');
    await view.close();
  });
});
