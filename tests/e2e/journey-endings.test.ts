import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectHeading, publicUrl } from '../support/browser';
import { useAccessibilityAudit } from './accessibility-audit';
import { expectNewestEmail, factOf, signInByCodeOn } from './sponsor-steps';

/** Where each link's journey ends: a refused link's way on, a success page's next step, a form post's reload, the local mailbox. */
const { suite, open, signedUp, requested, awaitingDecision, shortenAccess } = useAccessibilityAudit();

/** Reloads `page` and returns the POSTs the reload sent: none, after a POST-redirect-GET. */
async function postsOnReload(page: Page): Promise<string[]> {
  const posts: string[] = [];
  const listener = (request: { method(): string; url(): string }) => {
    if (request.method() === 'POST') posts.push(request.url());
  };
  page.on('request', listener);
  await page.reload();
  page.off('request', listener);
  return posts;
}

/** A time as the pages write it. */
const SHOWN_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

/** As if the link's lifetime had passed: an operator's edit of the account's only verification link. */
async function expireVerificationLink(address: string): Promise<void> {
  await suite.service.documentClient().send(
    new UpdateCommand({
      TableName: 'sandbox-gatekeeper',
      Key: { pk: `ACCOUNT#${address}`, sk: 'ACCOUNT' },
      UpdateExpression: 'SET verifyLinks[0].expiresAt = :past',
      ConditionExpression: 'size(verifyLinks) = :one',
      ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60, ':one': 1 },
    }),
  );
}

describe('a link that does no work offers the way on for whom it was', () => {
  it('an expired contractor link: Get a new link opens the contractor form with their address kept', async () => {
    const { contractor, link } = await requested();
    await expireVerificationLink(contractor);
    const view = await open(false);
    expect((await view.page.goto(link))?.status()).toBe(410);
    await expectHeading(view.page, 'This link has expired');
    await view.page.getByRole('link', { name: 'Get a new link' }).click();
    await expectHeading(view.page, 'Request sponsored sandbox access');
    expect(new URL(view.page.url()).pathname).toBe('/contractors');
    expect(await view.page.getByLabel('Your work email address').inputValue()).toBe(contractor);
    await view.audit('contractor-form-kept');
    await view.close();
  });

  it('an expired agency link: Get a new link opens the sign-up form with the address kept', async () => {
    const { address, link } = await signedUp();
    await expireVerificationLink(address);
    const view = await open(true);
    expect((await view.page.goto(link))?.status()).toBe(410);
    await view.page.getByRole('link', { name: 'Get a new link' }).click();
    await expectHeading(view.page, 'Create a sandbox account');
    expect(await view.page.getByLabel('Work email address').inputValue()).toBe(address);
    await view.close();
  });

  it('a link that is not genuine names nobody and offers every way on', async () => {
    const { contractor, link } = await requested();
    // The same link id with another secret: it finds the account, but proves nothing.
    const forged = `${link.slice(0, link.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    const view = await open(false);
    expect((await view.page.goto(forged))?.status()).toBe(400);
    await expectHeading(view.page, 'This link is not valid');
    const main = (await view.page.getByRole('main').textContent()) ?? '';
    expect(main).not.toContain(contractor);
    expect(await view.page.getByRole('link', { name: 'Get a new link' }).getAttribute('href')).toBe('/');
    expect(await view.page.getByRole('link', { name: 'send your request again' }).getAttribute('href')).toBe('/contractors');
    await view.close();
  });

  it("a sponsor's review link that does no work leads to their dashboard", async () => {
    const { reviewLink } = await awaitingDecision();
    const view = await open(false);
    const broken = `${reviewLink.slice(0, -4)}AAAA`;
    expect((await view.page.goto(broken))?.status()).toBe(400);
    expect(await view.page.getByRole('link', { name: 'Get a new link' }).count()).toBe(0);
    await view.page.getByRole('link', { name: 'Go to your sponsor dashboard' }).click();
    // Signed out, the dashboard asks for the sponsor's sign-in first.
    await expectHeading(view.page, 'Sign in as a sponsor');
    expect(new URL(view.page.url()).searchParams.get('next')).toBe('/sponsors');
    await view.close();
  });

  it('the sign-up page takes no address that could not be one', async () => {
    const response = await fetch(publicUrl(suite.service, `/contractors?email=${'a'.repeat(300)}%40acme-corp.com`));
    expect(await response.text()).not.toContain('a'.repeat(300));
  });
});

describe('without JavaScript, a form post lands on a page a reload cannot post again (POST-redirect-GET)', () => {
  it('a confirmation: the outcome page says what is next and opens the sandbox', async () => {
    const { link } = await signedUp();
    const view = await open(false);
    await view.page.goto(link);
    await view.page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expectHeading(view.page, 'Your sandbox account is active');
    expect(await postsOnReload(view.page)).toEqual([]);
    await expectHeading(view.page, 'Your sandbox account is active');
    expect(await view.page.getByRole('heading', { name: 'What happens next' }).count()).toBe(1);
    await view.audit('verified-next-nojs');
    // npm start points SANDBOX_URL at its stand-in page.
    await view.page.getByRole('link', { name: 'Go to the sandbox' }).click();
    await expectHeading(view.page, 'This is where the sandbox would be');
    await view.close();
  });

  it('“This is not my request”: a reload still says the request was cancelled', async () => {
    const { link } = await requested();
    const view = await open(false);
    await view.page.goto(link);
    await view.page.getByRole('button', { name: 'This is not my request' }).click();
    await expectHeading(view.page, 'Request removed');
    expect(await postsOnReload(view.page)).toEqual([]);
    await expectHeading(view.page, 'Request removed');
    expect((await view.page.getByRole('main').textContent()) ?? '').toContain('This request was cancelled');
    // The emailed link, opened again later: cancelled, not "replaced by a newer link".
    expect((await view.page.goto(link))?.status()).toBe(400);
    const main = (await view.page.getByRole('main').textContent()) ?? '';
    expect(main).toContain('the request it was for was cancelled');
    expect(main).not.toContain('replaced');
    await view.close();
  });

  it('an approval: its page shows when access ends and the dashboard; a reload decides nothing again; a renewal the same', async () => {
    const { sponsor, contractor, reviewLink } = await awaitingDecision({ name: 'Casey Prg' });
    const view = await open(false);
    await view.page.goto(reviewLink);
    await view.page.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(view.page, suite.service, sponsor);
    await view.page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectHeading(view.page, 'You approved the request');
    const main = (await view.page.getByRole('main').textContent()) ?? '';
    expect(main).toMatch(new RegExp(`sandbox access until ${SHOWN_TIME.source}`));
    expect(await view.page.getByRole('link', { name: 'sponsor dashboard' }).getAttribute('href')).toBe('/sponsors');
    await view.audit('approved-nojs-page');
    const receipt = await expectNewestEmail(suite.service, sponsor, 'You approved a sandbox access request');
    expect(receipt).toContain('Your sponsor dashboard lists every contractor who named you');
    const sent = (await suite.service.emails()).length;
    expect(await postsOnReload(view.page)).toEqual([]);
    await expectHeading(view.page, 'You approved the request');
    expect((await suite.service.emails()).length).toBe(sent);

    await shortenAccess(contractor);
    await view.page.goto(publicUrl(suite.service, '/sponsors'));
    const section = view.page.getByRole('region', { name: 'Casey Prg' });
    await section.getByRole('button', { name: 'Renew', exact: true }).click();
    await expectHeading(view.page, 'Access renewed');
    expect(await postsOnReload(view.page)).toEqual([]);
    await expectHeading(view.page, 'Access renewed');
    await view.page.getByRole('link', { name: 'Back to the contractors you sponsor' }).click();
    expect(await factOf(view.page.getByRole('region', { name: 'Casey Prg' }), 'Status').textContent()).toBe('Active');
    await view.close();
  });

  it('an outcome page trusts only what the service signed', async () => {
    const view = await open(false);
    const response = await view.page.goto(publicUrl(suite.service, '/sponsorships/review?outcome=approved'));
    expect(response?.status()).toBe(400);
    expect(await view.page.getByRole('link', { name: 'Go to your sponsor dashboard' }).count()).toBe(1);
    await view.close();
  });
});

describe('with JavaScript, an approval in place says when the access ends', () => {
  it('the review page’s answer names the end of access', async () => {
    const { sponsor, reviewLink } = await awaitingDecision();
    const view = await open(true);
    await view.page.goto(reviewLink);
    await view.page.getByRole('link', { name: 'Sign in to decide' }).click();
    await signInByCodeOn(view.page, suite.service, sponsor);
    await view.page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expectHeading(view.page, 'You approved the request');
    expect(view.page.url()).toBe(reviewLink);
    expect((await view.page.getByRole('main').textContent()) ?? '').toMatch(new RegExp(`sandbox access until ${SHOWN_TIME.source}`));
    await view.close();
  });
});

describe('the local mailbox', () => {
  it('opens an emailed link by a click', async () => {
    const { address } = await signedUp();
    const view = await open(true);
    await view.page.goto(suite.service.mailboxPageUrl);
    await expectHeading(view.page, 'Local mailbox');
    const email = view.page.getByRole('article').filter({ hasText: address }).first();
    await email.getByRole('link', { name: /\/verify\?token=/ }).click();
    await expectHeading(view.page, 'Confirm your email address');
    expect((await view.page.getByRole('main').textContent()) ?? '').toContain(address);
    await view.close();
  });
});
