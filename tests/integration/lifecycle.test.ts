import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { itemKeys } from '../../functions/service/table';
import { sweep } from '../../functions/use-cases/sweep';
import { eventually } from '../support/eventually';
import { LocalService } from '../support/local-service';
import { itemCountingClient, seedContractors, tableSweepDeps } from '../support/sweep-fixture';

const TABLE = 'sandbox-gatekeeper';
const ACCESS_SECONDS = 8;
const NOTICE_SECONDS = 4;

function accountOf(service: LocalService, email: string): Promise<Account | undefined> {
  return service
    .documentClient()
    .send(new GetCommand({ TableName: TABLE, Key: itemKeys.account(email), ConsistentRead: true }))
    .then(({ Item }) => Item as Account | undefined);
}

let counter = 0;
/** A contractor's request through the pages' endpoints, confirmed and approved by the sponsor. */
async function approved(service: LocalService, sponsorEmail: string): Promise<{ email: string; name: string }> {
  counter++;
  const email = `contractor${counter}@acme-corp.com`;
  const name = `Casey Contractor ${counter}`;
  const body = { email, name, company: 'Acme Corp', sponsorEmail, justification: 'The benefits integration.' };
  expect((await service.postJson('/sponsorships', body)).status).toBe(202);
  expect((await service.postJson('/verify', { token: await service.latestToken(email) })).status).toBe(200);
  const decision = await service.postJson('/sponsorships/decision', {
    token: await service.reviewToken(sponsorEmail),
    decision: 'approve',
  });
  expect(await decision.json()).toEqual({ status: 'approved' });
  return { email, name };
}

const manageTokenIn = (text: string) => /\/sponsors\/manage\?token=([A-Za-z0-9_.-]+)/.exec(text)?.[1];

async function manageLink(service: LocalService, sponsor: string): Promise<string> {
  expect((await service.postJson('/sponsors/link', { email: sponsor })).status).toBe(202);
  const token = manageTokenIn((await service.emailsTo(sponsor)).at(-1)?.body.text ?? '');
  if (!token) throw new Error(`no management link sent to ${sponsor}`);
  return token;
}

const manage = (service: LocalService, body: Record<string, string>) => service.postJson('/sponsors/manage', body);

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

  it('reminds the sponsor once, who renews one contractor and ends another; the renewed access later expires by itself', async () => {
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
    const token = manageTokenIn(sent.at(-1)?.body.text ?? '')!;

    // The management page lists both, and opening it (as a mail scanner would) changes nothing.
    const before = await accountOf(service, keep.email);
    const listed = (await (await service.fetch(`/sponsors/manage?token=${token}`, { headers: { accept: 'application/json' } })).json()) as {
      sponsor: string;
      contractors: { requestId: string; email: string; status: string }[];
    };
    await service.fetch(`/sponsors/manage?token=${token}`);
    expect((await accountOf(service, keep.email))?.version).toBe(before?.version);
    expect(listed.sponsor).toBe(sponsor);
    expect(listed.contractors.map((row) => row.email).sort()).toEqual([keep.email, leave.email].sort());
    const requestOf = (email: string) => listed.contractors.find((row) => row.email === email)!.requestId;

    const renewed = await manage(service, { token, requestId: requestOf(keep.email), action: 'renew' });
    const renewal = (await renewed.json()) as { status: string; accessExpiresAt: string };
    expect([renewed.status, renewal.status]).toEqual([200, 'active']);
    expect(Date.parse(renewal.accessExpiresAt)).toBeGreaterThan(Date.parse(before!.accessExpiresAt!));
    const ended = await manage(service, { token, requestId: requestOf(leave.email), action: 'end', reason: 'The project is over.' });
    expect(await ended.json()).toEqual({ status: 'revoked' });

    // Each step emailed to the contractor and audited with who did it.
    expect((await service.emailsTo(keep.email)).at(-1)?.subject).toBe('Your sandbox access is renewed');
    const endEmail = (await service.emailsTo(leave.email)).at(-1);
    expect([endEmail?.subject, endEmail?.body.text?.includes('The project is over.')]).toEqual(['Your sandbox access was ended', true]);
    expect((await accountOf(service, leave.email))?.history.at(-1)).toMatchObject({ event: 'access_ended', by: `sponsor:${sponsor}` });

    // The renewed access runs out with nobody acting: the sweep expires it and tells the contractor.
    const expired = await eventually(
      () => accountOf(service, keep.email),
      (account) => account?.status === 'expired',
    );
    expect(expired?.history.map((entry) => [entry.event, entry.by])).toEqual(
      expect.arrayContaining([
        ['access_renewed', `sponsor:${sponsor}`],
        ['renewal_reminder_sent', 'system'],
        ['access_expired', 'system'],
      ]),
    );
    expect((await service.emailsTo(keep.email)).at(-1)?.subject).toBe('Your sandbox access has ended');
    expect((await accountOf(service, leave.email))?.status, 'ended access stays ended').toBe('revoked');
  }, 60_000);

  it('of 10 concurrent End clicks exactly one answers 200; the rest 409 invalid_state with the standing status', async () => {
    const sponsor = 'rory.sponsor@agency.gov';
    const contractor = await approved(service, sponsor);
    const token = await manageLink(service, sponsor);
    const [row] = (
      (await (await service.fetch(`/sponsors/manage?token=${token}`, { headers: { accept: 'application/json' } })).json()) as {
        contractors: { requestId: string }[];
      }
    ).contractors;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => manage(service, { token, requestId: row!.requestId, action: 'end' })),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ error?: string; status: string }>));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(bodies.filter((body) => body.error).map((body) => [body.error, body.status])).toEqual(
      Array(9).fill(['invalid_state', 'revoked']),
    );
    expect((await service.emailsTo(contractor.email)).filter((email) => email.subject === 'Your sandbox access was ended')).toHaveLength(1);
  });

  it('another sponsor’s link neither sees nor acts on a contractor: 404 exactly like a request that does not exist', async () => {
    const mine = await approved(service, 'mine.sponsor@agency.gov');
    const mineToken = await manageLink(service, 'mine.sponsor@agency.gov');
    const strangerToken = await manageLink(service, 'stranger@agency.gov');
    const strangerList = await (
      await service.fetch(`/sponsors/manage?token=${strangerToken}`, { headers: { accept: 'application/json' } })
    ).json();
    expect(strangerList).toEqual({ sponsor: 'stranger@agency.gov', contractors: [] });
    const { contractors } = (await (
      await service.fetch(`/sponsors/manage?token=${mineToken}`, { headers: { accept: 'application/json' } })
    ).json()) as {
      contractors: { requestId: string }[];
    };
    const foreign = await manage(service, { token: strangerToken, requestId: contractors[0]!.requestId, action: 'end' });
    const missing = await manage(service, { token: strangerToken, requestId: 'no-such-request', action: 'end' });
    expect([foreign.status, await foreign.text()]).toEqual([missing.status, await missing.text()]);
    expect(foreign.status).toBe(404);
    expect((await accountOf(service, mine.email))?.status).toBe('active');
  });

  it('answers every eligible address alike, and a newer link replaces the older one', async () => {
    const sponsor = 'sam.sponsor@agency.gov';
    const nobody = await service.postJson('/sponsors/link', { email: 'sponsors-no-one@agency.gov' });
    const somebody = await service.postJson('/sponsors/link', { email: sponsor });
    expect([nobody.status, await nobody.text()]).toEqual([somebody.status, await somebody.text()]);
    expect((await service.postJson('/sponsors/link', { email: 'vendor@acme-corp.com' })).status).toBe(422);
    const first = manageTokenIn((await service.emailsTo(sponsor)).at(-1)?.body.text ?? '')!;
    const second = await manageLink(service, sponsor);
    expect((await service.fetch(`/sponsors/manage?token=${first}`)).status).toBe(400);
    expect((await service.fetch(`/sponsors/manage?token=${second}`)).status).toBe(200);
  });
});

describe('a management link past its lifetime', () => {
  it('answers 410 with a way to get a new one', async () => {
    const service = await LocalService.start({ SPONSOR_LINK_TTL_SECONDS: '1' });
    try {
      const token = await manageLink(service, 'kim.sponsor@agency.gov');
      expect((await service.fetch(`/sponsors/manage?token=${token}`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await service.fetch(`/sponsors/manage?token=${token}`);
      expect([expired.status, (await expired.text()).includes('/sponsors')]).toEqual([410, true]);
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
