import { describe, expect, it } from 'vitest';
import type { Account, Moment } from '../../functions/core/account';
import { mayChange, SPONSOR_ACTIONS } from '../../functions/core/changes';
import { SignInRequiredError } from '../../functions/core/errors';
import { reopened } from '../../functions/core/held-request';
import { dutyOf, type LifecyclePolicy, type ManageAction, nextDutyAt, scheduled, statusAt } from '../../functions/core/lifecycle';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { listSponsored, type ManageDeps, manageSponsored } from '../../functions/use-cases/manage-contractors';
import { type SweepDeps, sweep } from '../../functions/use-cases/sweep';
import {
  BUDGETS,
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryRateLimiter,
  InMemorySponsorDirectory,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  sponsorSession,
} from '../support/fakes';
import { sweepWorld } from '../support/sweep-world';

const DAY = 86_400;
const POLICY: LifecyclePolicy = { accessSeconds: 365 * DAY, renewalNoticeSeconds: 30 * DAY };
const START = Date.parse('2030-01-15T12:00:00.000Z');
const SPONSOR = 'pat.sponsor@agency.gov';

/** A sponsor's declared change, applied and scheduled as the executor writes it. */
const manage = (account: Account, action: ManageAction, sponsor: string, at: Moment, policy: LifecyclePolicy, reason?: string) =>
  scheduled(
    SPONSOR_ACTIONS[action].apply(
      account,
      { actor: { role: 'sponsor', name: sponsor, via: { via: 'emailed_code' } }, ...(reason ? { reason } : {}) },
      at,
      policy,
    ),
  );
const mayManage = (account: Account, action: ManageAction, nowMs: number) => mayChange(SPONSOR_ACTIONS[action], account, nowMs);
const iso = (ms: number) => new Date(ms).toISOString();

/** An approved contractor whose access ends `endsInSeconds` after START. */
function contractor(email: string, endsInSeconds: number, extra: Partial<Account> = {}): Account {
  const accessExpiresAt = iso(START + endsInSeconds * 1000);
  const account: Account = {
    remindAt: START / 1000 + endsInSeconds - POLICY.renewalNoticeSeconds,
    email,
    kind: 'contractor',
    status: 'active',
    name: `Name of ${email}`,
    createdAt: iso(START - DAY * 1000),
    updatedAt: iso(START - DAY * 1000),
    activatedAt: iso(START - DAY * 1000),
    requestId: `req-${email}`,
    request: {
      id: `req-${email}`,
      company: 'Acme',
      sponsorEmail: SPONSOR,
      justification: 'Testing',
      requestedAt: iso(START - 2 * DAY * 1000),
    },
    sponsoredBy: SPONSOR,
    approvedAt: iso(START - DAY * 1000),
    accessExpiresAt,
    history: [],
    version: 3,
    ...extra,
  };
  const dueAt = nextDutyAt(account);
  return dueAt === undefined ? account : { ...account, dueAt };
}

describe('the lifecycle rules', () => {
  it('treats an active contractor past its end as expired, before any sweep', () => {
    const account = contractor('a@acme.com', 60);
    expect(statusAt(account, START)).toBe('active');
    expect(statusAt(account, START + 60_000)).toBe('expired');
    expect(statusAt({ ...account, kind: 'agency' }, START + 60_000), 'agency accounts do not expire').toBe('active');
  });

  it('is due for its reminder RENEWAL_NOTICE_SECONDS before the end, then for the end itself', () => {
    const account = contractor('a@acme.com', 100 * DAY);
    const endsAt = START / 1000 + 100 * DAY;
    expect(nextDutyAt(account)).toBe(endsAt - 30 * DAY);
    expect(nextDutyAt({ ...account, remindedFor: account.accessExpiresAt! })).toBe(endsAt);
    expect(nextDutyAt({ ...account, status: 'revoked' }), 'ended access has no duty').toBeUndefined();
  });

  it('decides the duty as of now: nothing before the reminder, remind, then expire', () => {
    const account = contractor('a@acme.com', 100 * DAY);
    expect(dutyOf(account, START)).toBe('none');
    expect(dutyOf(account, START + 70 * DAY * 1000)).toBe('remind');
    expect(dutyOf({ ...account, remindedFor: account.accessExpiresAt! }, START + 70 * DAY * 1000)).toBe('none');
    expect(dutyOf(account, START + 100 * DAY * 1000), 'past the end, even unreminded').toBe('expire');
  });

  it('renews to one period from now (bounded: never a period past the current end), and schedules the new period’s reminder', () => {
    const early = contractor('a@acme.com', 10 * DAY, { remindedFor: iso(START + 10 * DAY * 1000) });
    const renewed = manage(early, 'renew', SPONSOR, { nowMs: START, ip: '192.0.2.1' }, POLICY);
    expect(renewed.accessExpiresAt).toBe(iso(START + 365 * DAY * 1000));
    expect(renewed.dueAt, 'a new period gets its own reminder').toBe(START / 1000 + (365 - 30) * DAY);
    expect(manage(renewed, 'renew', SPONSOR, { nowMs: START, ip: '192.0.2.1' }, POLICY).accessExpiresAt, 'twice is once').toBe(
      renewed.accessExpiresAt,
    );

    const lapsed = { ...contractor('b@acme.com', -5 * DAY), status: 'expired' as const };
    const revived = manage(lapsed, 'renew', SPONSOR, { nowMs: START, ip: '192.0.2.1' }, POLICY);
    expect([revived.status, revived.accessExpiresAt]).toEqual(['active', iso(START + 365 * DAY * 1000)]);
    expect(revived.history.at(-1)).toMatchObject({ event: 'access_renewed', by: `sponsor:${SPONSOR}`, via: 'emailed_code' });
  });

  it('ends active access only; renews active or expired only', () => {
    const active = contractor('a@acme.com', 10 * DAY);
    const cases: [Account, boolean, boolean][] = [
      [active, true, true],
      [{ ...active, status: 'expired' }, true, false],
      [contractor('b@acme.com', -1), true, false],
      [{ ...active, status: 'revoked' }, false, false],
      [{ ...active, status: 'denied' }, false, false],
      [{ ...active, status: 'awaiting_sponsor' }, false, false],
    ];
    for (const [account, renew, end] of cases) {
      expect([mayManage(account, 'renew', START), mayManage(account, 'end', START)], account.status).toEqual([renew, end]);
    }
    const ended = manage(active, 'end', SPONSOR, { nowMs: START }, POLICY, 'Project over');
    expect([ended.status, ended.endReason, ended.dueAt]).toEqual(['revoked', 'Project over', undefined]);
  });

  it('holds an expired contractor’s new request beside the record; taken up, it starts clean and keeps the record', () => {
    const expired = { ...contractor('a@acme.com', -DAY), status: 'expired' as const };
    const plan = planSignUp(
      expired,
      {
        email: expired.email,
        name: 'New Name',
        linkId: 'link',
        tokenHash: 'hash',
        verifyTtlSeconds: DAY,
        sponsorship: { id: 'req-2', company: 'Acme 2', sponsorEmail: 'other@agency.gov', justification: 'Again', requestedAt: iso(START) },
      },
      { nowMs: START, ip: '192.0.2.1' },
    );
    expect(plan.action).toBe('send_link');
    if (plan.action !== 'send_link') return;
    expect(plan.next, 'until its owner confirms, the record is as it was').toMatchObject({
      status: 'expired',
      requestId: expired.requestId,
      sponsoredBy: expired.sponsoredBy,
      accessExpiresAt: expired.accessExpiresAt,
    });
    expect(mayManage(plan.next, 'renew', START), 'its sponsor may still renew it').toBe(true);

    const taken = reopened(plan.next);
    expect(taken).toMatchObject({ status: 'pending', requestId: 'req-2', name: 'New Name', version: plan.next.version });
    expect(taken.accessExpiresAt).toBeUndefined();
    expect(taken.dueAt).toBeUndefined();
    expect(taken.expireAt, 'an account that once had access is never deleted by TTL').toBeUndefined();
  });
});

function world(accounts: Account[] = []) {
  const clock = new ManualClock(START);
  const store = new InMemoryAccountStore(accounts);
  const sponsors = new InMemorySponsorDirectory();
  const notifier = new RecordingNotifier();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const registry = new InMemoryDomainRegistry();
  const deps: SweepDeps & ManageDeps = {
    ...DELIVERY,
    registry,
    approvals: new FakeApprovalTokens(),
    breaker: new InMemoryBreaker(),
    limiter: new InMemoryRateLimiter(),
    budgets: BUDGETS,
    verifyTtlSeconds: 86_400,
    store,
    sponsors,
    notifier,
    clock,
    log,
    metrics,
    lifecycle: POLICY,
    baseUrl: 'https://sandbox.agency.gov',
  };
  return { clock, store, sponsors, notifier, log, metrics, registry, deps };
}

describe('the sweep', () => {
  it('reads only what is due, reminds each sponsor once per period with one email, and expires at the end', async () => {
    const soon = contractor('soon@acme.com', 20 * DAY);
    const later = contractor('later@acme.com', 200 * DAY);
    const also = contractor('also@acme.com', 25 * DAY);
    const { deps, store, notifier, clock } = world([soon, later, also]);

    expect(await sweep(deps)).toEqual({
      examined: 2,
      expired: 0,
      reminded: 2,
      undecided: 0,
      warned: 0,
      dormant: 0,
      suspended: 0,
      failed: 0,
      backlog: 0,
      pages: 1,
    });
    // Each contractor is told when their access ends and who can renew it; their sponsor gets one reminder for both.
    expect(notifier.sent.map((email) => [email.to, email.email.type])).toEqual([
      ['soon@acme.com', 'access_ending'],
      ['also@acme.com', 'access_ending'],
      [SPONSOR, 'renewal_reminder'],
    ]);
    expect(notifier.sent[0]?.email).toMatchObject({ sponsorEmail: SPONSOR, accessExpiresAt: store.peek('soon@acme.com')?.accessExpiresAt });
    const reminder = notifier.last().email;
    expect(reminder.type === 'renewal_reminder' && reminder.contractors.map((c) => c.email)).toEqual(['soon@acme.com', 'also@acme.com']);

    expect(await sweep(deps), 'nothing more is due this period').toEqual({
      examined: 0,
      expired: 0,
      reminded: 0,
      undecided: 0,
      warned: 0,
      dormant: 0,
      suspended: 0,
      failed: 0,
      backlog: 0,
      pages: 1,
    });
    clock.advanceSeconds(20 * DAY);
    expect(await sweep(deps)).toEqual({
      examined: 1,
      expired: 1,
      reminded: 0,
      undecided: 0,
      warned: 0,
      dormant: 0,
      suspended: 0,
      failed: 0,
      backlog: 0,
      pages: 1,
    });
    expect(store.peek('soon@acme.com')).toMatchObject({ status: 'expired' });
    expect(store.peek('soon@acme.com')?.history.at(-1)).toMatchObject({ event: 'access_expired', by: 'system' });
    expect(notifier.last()).toMatchObject({ to: 'soon@acme.com', email: { type: 'access_expired', sponsorEmail: SPONSOR } });
  });

  it('changes each account once when two sweeps run at the same time', async () => {
    const accounts = Array.from({ length: 5 }, (_, i) => contractor(`c${i}@acme.com`, -1));
    const { deps, store, notifier } = world(accounts);
    const reports = await Promise.all([sweep(deps), sweep(deps)]);
    expect(reports.reduce((sum, report) => sum + report.expired, 0)).toBe(5);
    expect(notifier.sent.filter((email) => email.email.type === 'access_expired')).toHaveLength(5);
    for (const account of store.all()) expect(account.history.filter((entry) => entry.event === 'access_expired')).toHaveLength(1);
  });

  it('loses cleanly to a sponsor’s renewal that lands between its read and its write', async () => {
    const account = contractor('race@acme.com', -1);
    const { deps, store, notifier } = world([account]);
    store.beforePut = () => {
      store.beforePut = undefined;
      store.seed(manage(account, 'renew', SPONSOR, { nowMs: START, ip: '192.0.2.9' }, POLICY));
    };
    const report = await sweep(deps);
    expect(report.expired).toBe(0);
    expect(store.peek(account.email)).toMatchObject({ status: 'active', accessExpiresAt: iso(START + 365 * DAY * 1000) });
    expect(notifier.sent).toEqual([]);
  });
});

describe('sponsor management', () => {
  async function managed() {
    const mine = contractor('mine@acme.com', 100 * DAY);
    const theirs = contractor('theirs@acme.com', 100 * DAY, {
      request: {
        id: 'req-theirs@acme.com',
        company: 'Other',
        sponsorEmail: 'other@agency.gov',
        justification: 'x',
        requestedAt: iso(START),
      },
      sponsoredBy: 'other@agency.gov',
    });
    const w = world([mine, theirs]);
    await w.sponsors.addRequest(SPONSOR, mine.requestId!, mine.email);
    await w.sponsors.addRequest('other@agency.gov', theirs.requestId!, theirs.email);
    return { ...w, mine, theirs, session: sponsorSession(SPONSOR) };
  }

  it('lists only this sponsor’s contractors, with their status as of now', async () => {
    const { deps, session, clock } = await managed();
    const list = await listSponsored(session, deps);
    expect(list.sponsor).toBe(SPONSOR);
    expect(list.contractors.map((c) => [c.email, c.status])).toEqual([['mine@acme.com', 'active']]);
    clock.advanceSeconds(101 * DAY);
    expect((await listSponsored(sponsorSession(SPONSOR), deps)).contractors[0]?.status, 'before any sweep').toBe('expired');
  });

  it('lists the contractors of every mailbox the session proves (the provider’s other addresses)', async () => {
    const { deps } = await managed();
    const list = await listSponsored(sponsorSession('other@agency.gov', 'oidc', { also: [SPONSOR] }), deps);
    expect([list.sponsor, list.contractors.map((c) => c.email).sort()]).toEqual(['other@agency.gov', ['mine@acme.com', 'theirs@acme.com']]);
  });

  it('refuses to list or change anything without a session (401 sign_in_required), before reading anything', async () => {
    const { deps, store, mine, notifier } = await managed();
    await expect(listSponsored(undefined, deps)).rejects.toBeInstanceOf(SignInRequiredError);
    await expect(manageSponsored({ requestId: mine.requestId!, action: 'end', clientIp: '192.0.2.1' }, deps)).rejects.toBeInstanceOf(
      SignInRequiredError,
    );
    expect([store.totalCalls, notifier.sent]).toEqual([0, []]);
    expect(store.peek(mine.email)).toEqual(mine);
  });

  it('answers another sponsor’s request exactly like one that does not exist (404)', async () => {
    const { deps, session, theirs, store, notifier } = await managed();
    const answer = (requestId: string) =>
      manageSponsored({ session, requestId, action: 'end', clientIp: '192.0.2.1' }, deps).catch((error: Error & { code?: string }) => [
        error.code,
        error.message,
      ]);
    const foreign = await answer(theirs.requestId!);
    expect(foreign).toEqual(await answer('no-such-request'));
    expect((foreign as string[])[0]).toBe('not_found');
    expect([store.peek(theirs.email), notifier.sent]).toEqual([theirs, []]);
  });

  it('of 10 concurrent End clicks, exactly one ends the access; the rest get 409 with the standing status', async () => {
    const { deps, session, mine, notifier, store } = await managed();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        manageSponsored({ session, requestId: mine.requestId!, action: 'end', clientIp: '192.0.2.1' }, deps),
      ),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as { code: string; details: unknown }] : [],
    );
    expect(won).toHaveLength(1);
    expect(refused.map((error) => [error.code, error.details])).toEqual(Array(9).fill(['invalid_state', { status: 'revoked' }]));
    expect(notifier.sent.filter((email) => email.email.type === 'access_ended')).toHaveLength(1);
    expect(store.peek(mine.email)?.history.at(-1)).toMatchObject({
      event: 'access_ended',
      by: `sponsor:${SPONSOR}`,
      ip: '192.0.2.1',
      via: 'emailed_code',
    });
  });
});

describe('the last second of a period', () => {
  it('sends no second reminder to a sweep that runs just before the end; the next one expires it', async () => {
    const endMs = START + 30 * DAY * 1000 + 500;
    const remindedAlready = scheduled({
      ...contractor('a@acme.com', 30 * DAY),
      accessExpiresAt: iso(endMs),
      remindedFor: iso(endMs),
    });
    const { clock, notifier, deps } = sweepWorld([remindedAlready], endMs - 300);

    expect(await sweep(deps)).toMatchObject({ reminded: 0, expired: 0 });
    expect(dutyOf(remindedAlready, clock.nowMs()), 'neither a reminder nor an end yet').toBe('none');
    clock.advanceSeconds(1);
    expect(await sweep(deps)).toMatchObject({ reminded: 0, expired: 1 });
    expect(notifier.sent.filter((sent) => sent.email.type === 'renewal_reminder')).toEqual([]);
  });
});
