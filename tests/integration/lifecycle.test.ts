import { join } from 'node:path';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoseSessionTokens } from '../../functions/adapters/jose-session-tokens';
import { fileKeys } from '../../functions/adapters/signing-keys';
import type { Account } from '../../functions/core/account';
import { csrfTokenOf } from '../../functions/core/session';
import { itemKeys } from '../../functions/service/table';
import { sweep } from '../../functions/use-cases/sweep';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { codeEmails, dashboardOf, decideAs, emailedCode, manageAs, type SponsorSignIn, signInByCode } from '../support/sponsor-session';
import { itemCountingClient, seedContractors, tableSweepDeps } from '../support/sweep-fixture';

const TABLE = 'sandbox-gatekeeper';
const ACCESS_SECONDS = 16;
const NOTICE_SECONDS = 8;

function accountOf(service: LocalService, email: string): Promise<Account | undefined> {
  return service
    .documentClient()
    .send(new GetCommand({ TableName: TABLE, Key: itemKeys.account(email), ConsistentRead: true }))
    .then(({ Item }) => Item as Account | undefined);
}

/** One sign-in per sponsor and service, as a sponsor keeps one browser session. */
const sessions = new Map<string, Promise<SponsorSignIn>>();
function sessionOf(service: LocalService, sponsor: string): Promise<SponsorSignIn> {
  const key = `${service.baseUrl} ${sponsor}`;
  if (!sessions.has(key)) sessions.set(key, signInByCode(service, sponsor));
  return sessions.get(key)!;
}

let counter = 0;
/** A contractor's request through the pages' endpoints, confirmed, and approved by the sponsor signed in. */
async function approved(service: LocalService, sponsorEmail: string): Promise<{ email: string; name: string }> {
  counter++;
  const email = `contractor${counter}@acme-corp.com`;
  const name = `Casey Contractor ${counter}`;
  const body = { email, name, company: 'Acme Corp', sponsorEmail, justification: 'The benefits integration.' };
  expect((await service.postJson('/sponsorships', body)).status).toBe(202);
  expect((await service.postJson('/verify', { token: await service.latestToken(email) })).status).toBe(200);
  const token = await service.reviewToken(sponsorEmail);
  const decision = await decideAs(service, await sessionOf(service, sponsorEmail), { token, decision: 'approve' });
  expect(await decision.json()).toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });
  return { email, name };
}

describe('access that ends, through npm start with a sweep every second', () => {
  let service: LocalService;
  beforeAll(async () => {
    service = await LocalService.start({
      CONTRACTOR_ACCESS_SECONDS: String(ACCESS_SECONDS),
      RENEWAL_NOTICE_SECONDS: String(NOTICE_SECONDS),
      SWEEP_INTERVAL_SECONDS: '1',
      RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0',
      RATE_LIMIT_EMAIL_PER_DAY: '50',
    });
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('reminds the sponsor once, who signs in from it and ends one contractor’s access; a Renew changes an access a period ahead not at all, and brings back one that expired, which later expires by itself', async () => {
    const sponsor = 'pat.sponsor@agency.gov';
    const keep = await approved(service, sponsor);
    const leave = await approved(service, sponsor);

    // The reminder: one per contractor per period, whatever the number of sweeps.
    const reminders = async () => (await service.emailsTo(sponsor)).filter((email) => email.subject.includes('ends soon'));
    const sent = await eventually(reminders, (emails) =>
      [keep.email, leave.email].every((email) => emails.some((reminder) => reminder.body.text?.includes(email))),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const contractor of [keep, leave]) {
      expect(
        (await reminders()).filter((email) => email.body.text?.includes(contractor.email)),
        contractor.email,
      ).toHaveLength(1);
    }
    expect(sent.at(-1)?.body.text).toContain('Acme Corp');
    // It links to the dashboard, with no token: the link alone opens nothing but the sign-in.
    const dashboardLink = /(https?:\/\/\S+\/sponsors)(?=\s|$)/.exec(sent.at(-1)?.body.text ?? '')?.[1];
    expect(dashboardLink, 'the reminder links to /sponsors').toBeDefined();
    expect(sent.at(-1)?.body.text).not.toMatch(/token=/);

    // Opening it (as a mail scanner would, signed out) changes nothing and only asks to sign in.
    const before = await accountOf(service, keep.email);
    const signedOut = await service.fetch('/sponsors');
    expect([signedOut.status, signedOut.headers.get('location')]).toEqual([303, '/sign-in?next=%2Fsponsors']);
    // (Its answer's body is held in sponsor-sign-in.test.ts.)
    expect((await service.fetch('/sponsors', { headers: { accept: 'application/json' } })).status).toBe(401);

    // Signed in, the dashboard lists both, and opening it changes nothing either.
    const session = await sessionOf(service, sponsor);
    const listed = await dashboardOf(service, session);
    expect((await service.fetch('/sponsors', { headers: session.headers })).status).toBe(200);
    expect((await accountOf(service, keep.email))?.version).toBe(before?.version);
    expect(listed.sponsor).toBe(sponsor);
    expect(listed.contractors.map((row) => row.email).sort()).toEqual([keep.email, leave.email].sort());
    const rowOf = (email: string) => listed.contractors.find((row) => row.email === email)!;

    const ended = await manageAs(service, session, {
      requestId: rowOf(leave.email).requestId,
      action: 'end',
      reason: 'The project is over.',
    });
    const end = (await ended.json()) as { status: string; endedAt: string };
    expect([ended.status, end]).toEqual([200, { status: 'revoked', endedAt: expect.any(String) }]);
    expect(Math.abs(Date.parse(end.endedAt) - Date.now())).toBeLessThan(60_000);

    // A Renew of active access gives one period from now, never more; the same page's Renew again
    // answers the standing access and writes and sends nothing.
    const asked = { requestId: rowOf(keep.email).requestId, action: 'renew' as const, seen: rowOf(keep.email).accessExpiresAt! };
    const early = await manageAs(service, session, asked);
    const earlyAnswer = (await early.json()) as { status: string; accessExpiresAt: string };
    expect([early.status, earlyAnswer.status]).toEqual([200, 'active']);
    expect(Date.parse(earlyAnswer.accessExpiresAt), 'one period from now at most').toBeLessThanOrEqual(Date.now() + ACCESS_SECONDS * 1000);
    const afterEarly = await accountOf(service, keep.email);
    const again = await manageAs(service, session, asked);
    expect([again.status, await again.json()]).toEqual([200, { ...earlyAnswer, unchanged: true }]);
    expect(await accountOf(service, keep.email)).toEqual(afterEarly);

    // Once it has run out, Renew brings it back for one period from now.
    const lapsed = await eventually(
      () => accountOf(service, keep.email),
      (account) => account?.status === 'expired',
    );
    const renewed = await manageAs(service, session, {
      requestId: rowOf(keep.email).requestId,
      action: 'renew',
      seen: lapsed!.accessExpiresAt!,
    });
    const renewal = (await renewed.json()) as { status: string; accessExpiresAt: string };
    expect([renewed.status, renewal.status]).toEqual([200, 'active']);
    expect(Date.parse(renewal.accessExpiresAt)).toBeGreaterThan(Date.parse(before!.accessExpiresAt!));
    expect(Date.parse(renewal.accessExpiresAt), 'one period from now at most').toBeLessThanOrEqual(Date.now() + ACCESS_SECONDS * 1000);

    // Each step emailed to the contractor, with a receipt to the sponsor, and audited with who did it and how.
    expect((await service.emailsTo(keep.email)).at(-1)?.subject).toBe('Your sandbox access is renewed');
    const endEmail = (await service.emailsTo(leave.email)).at(-1);
    expect([endEmail?.subject, endEmail?.body.text?.includes('The project is over.')]).toEqual(['Your sandbox access was ended', true]);
    const receipts = (await service.emailsTo(sponsor)).map((email) => email.subject);
    expect(receipts.filter((subject) => subject === 'You renewed sandbox access')).toHaveLength(2);
    expect(receipts.filter((subject) => subject === 'You ended sandbox access')).toHaveLength(1);
    expect((await accountOf(service, leave.email))?.history.at(-1)).toMatchObject({
      event: 'access_ended',
      by: `sponsor:${sponsor}`,
      via: 'emailed_code',
    });

    // The renewed access runs out with nobody acting: the sweep expires it and tells the contractor.
    const expired = await eventually(
      async () => accountOf(service, keep.email),
      (account) =>
        account?.status === 'expired' && account.history.at(-1)?.event === 'access_expired' && account.version > lapsed!.version + 1,
    );
    expect(expired?.history.map((entry) => [entry.event, entry.by]).slice(-4)).toEqual(
      expect.arrayContaining([
        ['access_renewed', `sponsor:${sponsor}`],
        ['access_expired', 'system'],
      ]),
    );
    expect(expired?.history.filter((entry) => entry.event === 'renewal_reminder_sent').map((entry) => entry.by)).toEqual(
      expect.arrayContaining(['system']),
    );
    expect((await service.emailsTo(keep.email)).at(-1)?.subject).toBe('Your sandbox access has ended');
    expect((await accountOf(service, leave.email))?.status, 'ended access stays ended').toBe('revoked');
  }, 90_000);

  it('of 10 concurrent End clicks exactly one answers 200; the rest 409 invalid_state with the standing status', async () => {
    const sponsor = 'rory.sponsor@agency.gov';
    const contractor = await approved(service, sponsor);
    const session = await sessionOf(service, sponsor);
    const [row] = (await dashboardOf(service, session)).contractors;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => manageAs(service, session, { requestId: row!.requestId, action: 'end' })),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ error?: string; status: string }>));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(bodies.filter((body) => body.error).map((body) => [body.error, body.status])).toEqual(
      Array(9).fill(['invalid_state', 'revoked']),
    );
    expect((await service.emailsTo(contractor.email)).filter((email) => email.subject === 'Your sandbox access was ended')).toHaveLength(1);
    expect(
      (await service.emailsTo(sponsor)).filter((email) => email.subject === 'You ended sandbox access'),
      'one receipt',
    ).toHaveLength(1);
  });

  it('another sponsor’s session neither sees nor acts on a contractor: 404 exactly like a request that does not exist', async () => {
    const mine = await approved(service, 'mine.sponsor@agency.gov');
    const stranger = await sessionOf(service, 'stranger@agency.gov');
    const strangerList = await dashboardOf(service, stranger);
    expect(strangerList).toEqual({ sponsor: 'stranger@agency.gov', contractors: [], csrf: stranger.csrf });
    const { contractors } = await dashboardOf(service, await sessionOf(service, 'mine.sponsor@agency.gov'));
    const foreign = await manageAs(service, stranger, { requestId: contractors[0]!.requestId, action: 'end' });
    const missing = await manageAs(service, stranger, { requestId: 'no-such-request', action: 'end' });
    expect([foreign.status, await foreign.text()]).toEqual([missing.status, await missing.text()]);
    expect(foreign.status).toBe(404);
    expect((await accountOf(service, mine.email))?.status).toBe('active');
  });

  it('sign-in codes: every eligible address is answered alike, others refused; a newer code replaces the older one', async () => {
    const sponsor = 'sam.sponsor@agency.gov';
    await approved(service, sponsor);
    const nobody = await service.postJson('/sign-in/code', { email: 'sponsors-no-one@agency.gov' });
    const somebody = await service.postJson('/sign-in/code', { email: sponsor });
    expect([nobody.status, await nobody.text()]).toEqual([somebody.status, await somebody.text()]);
    expect(somebody.status).toBe(202);
    const vendor = await service.postJson('/sign-in/code', { email: 'vendor@acme-corp.com' });
    expect([vendor.status, ((await vendor.json()) as { error: string }).error]).toEqual([422, 'sponsor_not_eligible']);
    expect(await service.emailsTo('vendor@acme-corp.com')).toEqual([]);

    const first = await emailedCode(service, sponsor);
    const before = (await codeEmails(service, sponsor)).length;
    expect((await service.postJson('/sign-in/code', { email: sponsor })).status).toBe(202);
    const second = await emailedCode(service, sponsor, before);
    if (first !== second) {
      const stale = await service.postJson('/sign-in/verify', { email: sponsor, code: first });
      expect([stale.status, ((await stale.json()) as { error: string }).error]).toEqual([400, 'invalid_code']);
    }
    const fresh = await service.postJson('/sign-in/verify', { email: sponsor, code: second });
    expect([fresh.status, await fresh.json()]).toEqual([200, { status: 'signed_in', next: '/sponsors' }]);
    const used = await service.postJson('/sign-in/verify', { email: sponsor, code: second });
    expect([used.status, ((await used.json()) as { error: string }).error], 'a code works once').toEqual([400, 'invalid_code']);
  });
});

describe('a session past its lifetime', () => {
  it('is signed out: the dashboard asks to sign in again, and its CSRF token decides and renews nothing', async () => {
    const service = await LocalService.start({ RATE_LIMIT_EMAIL_COOLDOWN_SECONDS: '0' });
    try {
      const sponsor = 'kim.sponsor@agency.gov';
      const contractor = await approved(service, sponsor);
      const live = await sessionOf(service, sponsor);
      const [row] = (await dashboardOf(service, live)).contractors;
      // A genuine session token, signed with the service's own keys, that ended a minute ago.
      const tokens = new JoseSessionTokens(fileKeys(join(service.dataDir, 'signing-keys.json')), 3600);
      const { token, session } = await tokens.issue({ mailbox: sponsor, method: 'emailed_code' }, Date.now() - 3660_000);
      const stale = { cookie: `__Host-gk-session=${token}`, headers: { cookie: `__Host-gk-session=${token}` }, csrf: csrfTokenOf(session) };

      const page = await service.fetch('/sponsors', { headers: stale.headers });
      expect([page.status, page.headers.get('location')]).toEqual([303, '/sign-in?next=%2Fsponsors']);
      expect((await service.fetch('/sponsors', { headers: { ...stale.headers, accept: 'application/json' } })).status).toBe(401);
      const before = await accountOf(service, contractor.email);
      const renew = await manageAs(service, stale, { requestId: row!.requestId, action: 'renew' });
      expect([renew.status, ((await renew.json()) as { error: string }).error]).toEqual([401, 'sign_in_required']);
      expect(await accountOf(service, contractor.email)).toEqual(before);
      // The live session of the same sponsor still works.
      expect((await dashboardOf(service, live)).contractors).toHaveLength(1);
    } finally {
      await service.dispose();
    }
  });
});

describe('the sweep against the real emulator', () => {
  let service: LocalService;
  let client: DynamoDBDocumentClient;
  /** Items DynamoDB returned to the sweep, counted by an SDK middleware from each answer. */
  const read = { items: 0 };

  beforeAll(async () => {
    // The server's own sweeper stays out of the way: these tests run the sweep themselves.
    service = await LocalService.start({ SWEEP_INTERVAL_SECONDS: '3600' });
    client = itemCountingClient(service.dynamodbEndpoint, read);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const seed = (prefix: string, count: number, endsAtSeconds: number) => seedContractors(client, TABLE, prefix, count, endsAtSeconds);
  const deps = () => tableSweepDeps(client, TABLE);

  it('four sweeps at once change each due account once', async () => {
    await seed('race', 20, nowSeconds() - 5);
    const results = await Promise.all(Array.from({ length: 4 }, () => sweep(deps())));
    expect(results.reduce((sum, report) => sum + report.expired, 0)).toBe(20);
    for (let i = 0; i < 20; i++) {
      const { Item } = await client.send(
        new GetCommand({ TableName: TABLE, Key: itemKeys.account(`race${i}@acme-corp.com`), ConsistentRead: true }),
      );
      const account = Item as Account;
      expect([account.status, account.history.filter((entry) => entry.event === 'access_expired').length]).toEqual(['expired', 1]);
      expect(account.dueAt).toBeUndefined();
    }
  });

  it('reads about what is due, not the table: 10 due among 100 and among 10,000 accounts', async () => {
    const readsWith = async (total: number, prefix: string) => {
      await seed(`${prefix}later`, total - 10, nowSeconds() + 86_400);
      await seed(`${prefix}due`, 10, nowSeconds() - 1);
      read.items = 0;
      const report = await sweep(deps());
      expect(report).toMatchObject({ examined: 10, expired: 10 });
      return read.items;
    };
    const at100 = await readsWith(100, 'small');
    const at10k = await readsWith(10_000, 'large');
    console.info(`sweep items read: ${at100} with 100 accounts, ${at10k} with 10,000 (10 due each time)`);
    expect(at100).toBeLessThanOrEqual(12);
    expect(at10k).toBeLessThanOrEqual(12);
  }, 120_000);
});
