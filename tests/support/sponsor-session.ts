import type { LocalService } from '../../infra/harness/local-service';
import { type SponsorSignIn, signInByCode } from '../../infra/harness/sponsor-sign-in';
import { emailedToken, requestAccess } from './mail-links';

export {
  codeEmails,
  emailedCode,
  type Mailbox,
  type SponsorSignIn,
  sessionCookieOf,
  signInByCode,
} from '../../infra/harness/sponsor-sign-in';

/** One row of the dashboard's JSON. */
export interface DashboardRow {
  readonly requestId: string;
  readonly email: string;
  readonly name: string | null;
  readonly company: string;
  readonly status: string;
  readonly approvedAt: string | null;
  readonly accessExpiresAt: string | null;
}

/** The signed-in sponsor's dashboard, as JSON (`GET /sponsors` with `Accept: application/json`). */
export async function dashboardOf(
  service: LocalService,
  session: SponsorSignIn,
): Promise<{ sponsor: string; contractors: DashboardRow[]; csrf: string }> {
  const response = await service.fetch('/sponsors', { headers: { ...session.headers, accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`GET /sponsors answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { sponsor: string; contractors: DashboardRow[]; csrf: string };
}

/** `POST /sponsorships/decision` in the session, with its CSRF token (JSON). */
export function decideAs(service: LocalService, session: SponsorSignIn, body: Record<string, string>): Promise<Response> {
  return service.postJson('/sponsorships/decision', { csrf: session.csrf, ...body }, session.headers);
}

/** `POST /sponsors/manage` in the session, with its CSRF token (JSON). */
export function manageAs(service: LocalService, session: SponsorSignIn, body: Record<string, string>): Promise<Response> {
  return service.postJson('/sponsors/manage', { csrf: session.csrf, ...body }, session.headers);
}

/**
 * A contractor's request through `service` (its emails read from `mailbox`), confirmed, and
 * approved from the review link by its sponsor signed in by code: the session, and the
 * contractor's row on the dashboard.
 */
export async function approvedContractor(
  service: LocalService,
  mailbox: LocalService,
  contractor: string,
  sponsor: string,
): Promise<{ session: SponsorSignIn; requestId: string; accessExpiresAt: string }> {
  await service.postJson('/verify', { token: await requestAccess(service, mailbox, contractor, sponsor) });
  const review = await emailedToken(mailbox, sponsor, '/sponsorships/review');
  const session = await signInByCode(service, sponsor, mailbox);
  const decided = await decideAs(service, session, { token: review, decision: 'approve' });
  if (decided.status !== 200) throw new Error(`the approval answered ${decided.status}: ${await decided.text()}`);
  const row = (await dashboardOf(service, session)).contractors.find((entry) => entry.email === contractor);
  if (!row?.accessExpiresAt) throw new Error(`${contractor} is not active on ${sponsor}'s dashboard`);
  return { session, requestId: row.requestId, accessExpiresAt: row.accessExpiresAt };
}
