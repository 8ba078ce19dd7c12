import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { expectHeading, publicUrl } from '../support/browser';
import { useAccessibilityAudit } from './accessibility-audit';

/** Where each link's journey ends: a refused link's way on, a success page's next step, a form post's reload, the local mailbox. */
const { suite, open, signedUp, requested, awaitingDecision } = useAccessibilityAudit();

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
