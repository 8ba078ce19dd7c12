import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectHeading, publicUrl, STEP_TIMEOUT_MS } from '../support/browser';
import type { LocalService } from '../support/local-service';
import { codeEmails, type SponsorSignIn } from '../support/sponsor-session';

/** What the sponsor tests do and check in the browser: sign in by code, read the dashboard, the session, the emails. */

export const SESSION_COOKIE = '__Host-gk-session';
const TABLE = 'sandbox-gatekeeper';

export const END_QUESTION = 'End this contractor’s sandbox access now? They lose access at once and are emailed.';

/** A time as the pages write it (`2026-12-04 23:20 UTC`), in epoch milliseconds. */
export const shownTime = (text: string) => Date.parse(`${text.replace(' ', 'T').replace(' UTC', '')}:00Z`);

export async function expectFocused(locator: Locator, what: string): Promise<void> {
  await expect
    .poll(() => locator.evaluate((element) => element === document.activeElement), {
      timeout: STEP_TIMEOUT_MS,
      message: `${what} has focus`,
    })
    .toBe(true);
}

/** The `<dd>` of the `<dt>` named `term` in `scope`. */
export const factOf = (scope: Locator, term: string) => scope.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

/** Waits until the newest email to `address` is `subject`; returns its text part. */
export async function expectNewestEmail(service: LocalService, address: string, subject: string): Promise<string | undefined> {
  await expect
    .poll(async () => (await service.emailsTo(address)).at(-1)?.subject, {
      timeout: STEP_TIMEOUT_MS,
      message: `the newest email to ${address}`,
    })
    .toBe(subject);
  return (await service.emailsTo(address)).at(-1)?.body.text;
}

/** The six-digit code of the newest sign-in email `address` got, once more than `before` have arrived. */
export async function emailedSignInCode(service: LocalService, address: string, before: number): Promise<string> {
  await expect
    .poll(async () => (await codeEmails(service, address)).length, {
      timeout: STEP_TIMEOUT_MS,
      message: `a sign-in code emailed to ${address}`,
    })
    .toBeGreaterThan(before);
  const subject = (await codeEmails(service, address)).at(-1)?.subject ?? '';
  expect(subject).toMatch(/^Your sandbox sign-in code: \d{6}$/);
  return /(\d{6})$/.exec(subject)![1]!;
}

/** Another six-digit code than `code` (each digit moved on by one). */
export const wrongCode = (code: string) => code.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));

/**
 * Signs in as `address` by the emailed code from the sign-in page (`page` is on it, e.g. after
 * "Sign in to decide" or a redirect from /sponsors): the address, "Email me a code", the code
 * from the email, "Sign in". Returns when the code is sent; the page then goes to the `next` it carried.
 */
export async function signInByCodeOn(page: Page, service: LocalService, address: string): Promise<void> {
  await expectHeading(page, 'Sign in as a sponsor');
  const before = (await codeEmails(service, address)).length;
  await page.getByLabel('Your work email address').fill(address);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expectHeading(page, 'Enter your sign-in code');
  await page.getByLabel('Sign-in code').fill(await emailedSignInCode(service, address, before));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The session `page` holds, for HTTP requests in it (the same sponsor in another tab): its cookie and its CSRF token. */
export async function sessionOfPage(service: LocalService, page: Page): Promise<SponsorSignIn> {
  const held = (await page.context().cookies(publicUrl(service))).find((cookie) => cookie.name === SESSION_COOKIE);
  expect(held, 'the page holds a session cookie').toBeDefined();
  const cookie = `${SESSION_COOKIE}=${held!.value}`;
  const dashboard = await service.fetch('/sponsors', { headers: { cookie, accept: 'application/json' } });
  expect(dashboard.status).toBe(200);
  const { csrf } = (await dashboard.json()) as { csrf: string };
  return { cookie, csrf, headers: { cookie } };
}

/**
 * As if most of an access period had passed: an operator's conditional edit of the contractor's
 * end of access to a week from now (so that Renew moves it; right after an approval it would
 * already be a full period ahead, and Renew changes nothing). Waits until the approval's emails
 * have left the account's outbox, so that no writer holds an older version.
 */
export async function shortenAccess(service: LocalService, contractor: string): Promise<string> {
  const key = { pk: `ACCOUNT#${contractor}`, sk: 'ACCOUNT' };
  const client = service.documentClient();
  try {
    return await shortenedWith(client, key);
  } finally {
    client.destroy();
  }
}

async function shortenedWith(client: ReturnType<LocalService['documentClient']>, key: { pk: string; sk: string }): Promise<string> {
  let version = 0;
  await expect
    .poll(
      async () => {
        const item = (await client.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item;
        version = Number(item?.version);
        return { status: item?.status, outbox: (item?.outbox as unknown[] | undefined)?.length ?? 0 };
      },
      { timeout: STEP_TIMEOUT_MS, message: `${key.pk}: active, with nothing left to deliver` },
    )
    .toEqual({ status: 'active', outbox: 0 });
  const soon = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await client.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: key,
      UpdateExpression: 'SET accessExpiresAt = :soon, version = :next',
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':soon': soon, ':read': version, ':next': version + 1 },
    }),
  );
  return soon;
}
