import type { HttpAnswer, Rehearsal } from './rehearsal';

/** The steps journeys are made of: people's requests, the sponsor's sign-in and decision, the operator's commands, and the checks. */

/** What journeys share: the people they made, so a later journey can act on them. */
export interface Cast {
  readonly agency: string;
  readonly sponsor: string;
  readonly renewed: string;
  readonly expiring: string;
  readonly cancelling: string;
  readonly bounced: string;
  readonly waiting: string;
  /** Agency employees whose domains leave the registry. */
  readonly leaving: string;
  readonly leavingToo: string;
  /** A sponsor whose mailbox bounces, and the contractor they sponsor. */
  readonly leavingSponsor: string;
  readonly orphaned: string;
}

export interface Journey {
  readonly name: string;
  run(rehearsal: Rehearsal, cast: Cast): Promise<void>;
}

export class JourneyFailure extends Error {
  override readonly name = 'JourneyFailure';
}

export function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new JourneyFailure(what);
}

export function expectStatus(answer: HttpAnswer, status: number, what: string): void {
  expectThat(answer.status === status, `${what}: expected ${status}, got ${answer.status} ${answer.body.slice(0, 300)}`);
}

/** The token of the newest link to `path` in the emails `address` got. */
export async function emailedToken(rehearsal: Rehearsal, address: string, path: string): Promise<string> {
  const emails = await rehearsal.emailsTo(address);
  for (const email of [...emails].reverse()) {
    const token = new RegExp(`${path.replace(/\//g, '\\/')}\\?token=([A-Za-z0-9_.-]+)`).exec(email.body.text ?? '')?.[1];
    if (token) return token;
  }
  throw new JourneyFailure(
    `no email to ${address} carries a ${path} link (got: ${emails.map((email) => email.subject).join(' | ') || 'none'})`,
  );
}

/** A contractor's request naming `sponsor`: its link goes to the contractor. */
export async function ask(rehearsal: Rehearsal, contractor: string, sponsor: string): Promise<void> {
  const asked = await rehearsal.http('POST', '/sponsorships', {
    json: { email: contractor, name: 'Casey Contractor', company: 'Acme', sponsorEmail: sponsor, justification: 'Integration testing.' },
  });
  expectStatus(asked, 202, `a request in the name of ${contractor}`);
}

/** A page, as a browser asks for it. */
export async function openPage(rehearsal: Rehearsal, path: string, what: string): Promise<void> {
  expectStatus(await rehearsal.http('GET', path, { headers: { accept: 'text/html' } }), 200, what);
}

/** A contractor's request, confirmed by the contractor: the sponsor now has a review link. */
/** An agency employee signs up and confirms their address: active. */
export async function signUpAndConfirm(rehearsal: Rehearsal, email: string): Promise<string> {
  expectStatus(await rehearsal.http('POST', '/signup', { json: { email } }), 202, 'sign-up');
  const token = await emailedToken(rehearsal, email, '/verify');
  const verified = await rehearsal.http('POST', '/verify', { json: { token } });
  expectStatus(verified, 200, 'confirming');
  expectThat(JSON.parse(verified.body).status === 'active', `the agency account is active (got ${verified.body})`);
  return token;
}

export async function requestAndConfirm(rehearsal: Rehearsal, contractor: string, sponsor: string): Promise<string> {
  await ask(rehearsal, contractor, sponsor);
  const confirmed = await rehearsal.http('POST', '/verify', { json: { token: await emailedToken(rehearsal, contractor, '/verify') } });
  expectStatus(confirmed, 200, 'the contractor confirming their address');
  expectThat(JSON.parse(confirmed.body).status === 'awaiting_sponsor', `the contractor awaits the sponsor (got ${confirmed.body})`);
  return emailedToken(rehearsal, sponsor, '/sponsorships/review');
}

/** A signed-in sponsor: the session cookie to send back and the CSRF token its forms carry. */
export interface Session {
  readonly cookies: readonly string[];
  readonly csrf: string;
}

/** The sponsor signs in by the emailed code, as the sign-in page has them do. */
export async function signIn(rehearsal: Rehearsal, sponsor: string): Promise<Session> {
  const before = (await rehearsal.emailsTo(sponsor)).length;
  expectStatus(await rehearsal.http('POST', '/sign-in/code', { json: { email: sponsor } }), 202, 'the sponsor asking for a sign-in code');
  const emails = await rehearsal.emailsTo(sponsor);
  const code = emails.length > before ? /(\d{6})/.exec(emails.at(-1)!.subject)?.[1] : undefined;
  expectThat(code !== undefined, `a sign-in code reached ${sponsor}`);
  const verified = await rehearsal.http('POST', '/sign-in/verify', { json: { email: sponsor, code } });
  expectStatus(verified, 200, 'the sponsor typing the code');
  const cookies = verified.cookies.map((cookie) => cookie.split(';')[0]!).filter((pair) => pair.startsWith('__Host-gk-session='));
  expectThat(cookies.length === 1, 'signing in sets the session cookie');
  const dashboard = await rehearsal.http('GET', '/sponsors', { cookies });
  expectStatus(dashboard, 200, 'the sponsor’s dashboard');
  return { cookies, csrf: (JSON.parse(dashboard.body) as { csrf: string }).csrf };
}

/** The sponsor approves: from the review link's page, or from their dashboard (by the request's id). */
export async function approve(
  rehearsal: Rehearsal,
  contractor: string,
  sponsor: string,
  session: Session,
  from: 'link' | 'dashboard',
): Promise<string> {
  const token = await requestAndConfirm(rehearsal, contractor, sponsor);
  await openPage(rehearsal, `/sponsorships/review?token=${token}`, 'the review page');
  const signedIn = await rehearsal.http('GET', `/sponsorships/review?token=${token}`, {
    headers: { accept: 'text/html' },
    cookies: session.cookies,
  });
  expectThat(
    signedIn.status === 200 && signedIn.body.includes('value="approve"'),
    'the review page, signed in as the sponsor, offers the decision',
  );
  expectStatus(
    await rehearsal.http('POST', '/sponsorships/decision', { json: { token, decision: 'approve' } }),
    401,
    'the review link alone deciding',
  );
  const dashboard = await rehearsal.http('GET', '/sponsors', { cookies: session.cookies });
  const requestId = (JSON.parse(dashboard.body) as { contractors: { requestId: string; email: string }[] }).contractors.find(
    (row) => row.email === contractor,
  )?.requestId;
  const decided = await rehearsal.http('POST', '/sponsorships/decision', {
    json: { ...(from === 'link' ? { token } : { requestId }), decision: 'approve', csrf: session.csrf },
    cookies: session.cookies,
  });
  expectStatus(decided, 200, `the signed-in sponsor approving from the ${from === 'link' ? 'review page' : 'dashboard'}`);
  return token;
}

export async function operator(rehearsal: Rehearsal, args: string[]): Promise<string> {
  const run = await rehearsal.operator(['--yes', ...args]);
  expectThat(
    run.code === 0,
    `npm run admin -- ${args.join(' ')} exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ') || run.stdout.trim()}`,
  );
  return run.stdout;
}
