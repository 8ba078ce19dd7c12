import { eventually } from './eventually';
import type { LocalService } from './local-service';

/** A signed-in sponsor, as a browser holds it: the session cookie to send back, and the CSRF token its forms carry. */
export interface SponsorSignIn {
  /** `name=value`, for a `cookie` header. */
  readonly cookie: string;
  readonly csrf: string;
  /** Headers that send the session back (add `content-type` as needed). */
  readonly headers: Record<string, string>;
}

/** Where emails land: the service's own mailbox, or another one's when SES_ENDPOINT points there. */
export type Mailbox = Pick<LocalService, 'emailsTo'>;

export const codeEmails = async (service: Mailbox, address: string) =>
  (await service.emailsTo(address)).filter((email) => /sign-in code/i.test(email.subject));

/** The six-digit code in the newest sign-in email `address` got, once more than `before` have arrived. */
export async function emailedCode(service: Mailbox, address: string, before = 0): Promise<string> {
  const emails = await eventually(
    () => codeEmails(service, address),
    (found) => found.length > before,
  );
  return /(\d{6})/.exec(emails.at(-1)!.subject)![1]!;
}

/** The session cookie an answer set (`name=value`), if any. */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .find((pair) => pair.startsWith('__Host-gk-session=') && pair.length > '__Host-gk-session='.length);
}

/**
 * Signs in as `address` by the emailed code (npm start with SIGN_IN_METHOD=code), as the sign-in
 * page does. The code is read from `mailbox`: the service's own, unless its SES_ENDPOINT sends elsewhere.
 */
export async function signInByCode(service: LocalService, address: string, mailbox: Mailbox = service): Promise<SponsorSignIn> {
  const before = (await codeEmails(mailbox, address)).length;
  const asked = await service.postJson('/sign-in/code', { email: address });
  if (asked.status !== 202) throw new Error(`POST /sign-in/code answered ${asked.status}: ${await asked.text()}`);
  const code = await emailedCode(mailbox, address, before);
  const verified = await service.postJson('/sign-in/verify', { email: address, code });
  const cookie = sessionCookieOf(verified);
  if (verified.status !== 200 || !cookie) throw new Error(`POST /sign-in/verify answered ${verified.status}: ${await verified.text()}`);
  const dashboard = await service.fetch('/sponsors', { headers: { cookie, accept: 'application/json' } });
  const { csrf } = (await dashboard.json()) as { csrf: string };
  return { cookie, csrf, headers: { cookie } };
}
