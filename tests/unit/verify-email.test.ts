import { describe, expect, it } from 'vitest';
import type { Account, AccountKind } from '../../functions/core/account';
import { AlreadyVerifiedError, ExpiredTokenError, InvalidTokenError } from '../../functions/core/errors';
import { hashLinkToken, linkIdOf, newLinkToken } from '../../functions/core/link-token';
import { type ConfirmDeps, confirmVerification, inspectVerification } from '../../functions/use-cases/verify-email';
import {
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryRateLimiter,
  InMemorySponsorDirectory,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
} from '../support/fakes';

const START = '2030-01-15T12:00:00.000Z';
const START_S = Date.parse(START) / 1000;
const TTL = 86_400;
const IP = '198.51.100.23';

/** A pending account whose current link is `token`, issued at START and valid for TTL. */
function pendingAccount(email: string, token: string, kind: AccountKind = 'agency'): Account {
  return {
    email,
    kind,
    status: 'pending',
    createdAt: START,
    updatedAt: START,
    linkId: linkIdOf(token)!,
    verifyLinks: [{ hash: hashLinkToken(token), expiresAt: START_S + TTL }],
    expireAt: START_S + TTL + 7 * 86_400,
    history: [{ at: START, event: 'signup_requested', by: 'self', ip: IP }],
    version: 1,
  };
}

function setup() {
  const store = new InMemoryAccountStore();
  const clock = new ManualClock(START);
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const notifier = new RecordingNotifier();
  const deps: ConfirmDeps = {
    ...DELIVERY,
    store,
    clock,
    log,
    metrics,
    notifier,
    approvals: new FakeApprovalTokens(),
    limiter: new InMemoryRateLimiter(),
    sponsorRequestsPerDay: 10,
    sponsors: new InMemorySponsorDirectory(),
  };
  const token = newLinkToken();
  store.seed(pendingAccount('user@agency.gov', token));
  const confirm = (t = token) => confirmVerification({ token: t, clientIp: IP, baseUrl: 'https://sandbox.example.gov' }, deps);
  const inspect = (t = token) => inspectVerification(t, deps);
  return { store, clock, log, notifier, deps, token, confirm, inspect };
}

const GARBAGE: ReadonlyArray<readonly [string, string]> = [
  ['empty', ''],
  ['10 KB', 'A'.repeat(10 * 1024)],
  ['non-base64url', '!!!!not+base64/url=!!!!!!!!!!!!!!!!!!!!!!!'],
  ['standard base64 with + and /', 'abcdefghijklmnopqrstuvwxyz+/ABCDEFGHIJKLMNO'],
  ['SQL injection', "' OR 1=1 --"],
  ['NoSQL injection', '{"$ne":null}'],
  ['42 characters', 'A'.repeat(42)],
  ['44 characters', 'A'.repeat(44)],
  ['43 characters with a trailing newline', `${'A'.repeat(43)}\n`],
  ['non-ASCII', 'Ä'.repeat(43)],
];

describe('confirmVerification', () => {
  it.each(GARBAGE)('refuses a garbage token (%s) with InvalidTokenError without asking the store', async (_label, token) => {
    const { confirm, store } = setup();

    await expect(confirm(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(store.totalCalls).toBe(0);
  });

  it('refuses a well-formed token that no account holds with InvalidTokenError, writing nothing', async () => {
    const { confirm, store } = setup();

    await expect(confirm(newLinkToken())).rejects.toBeInstanceOf(InvalidTokenError);
    expect(store.calls.put).toBe(0);
  });

  it('activates a pending agency account for a ready link', async () => {
    const { confirm, store } = setup();

    await expect(confirm()).resolves.toEqual({ status: 'active', email: 'user@agency.gov' });
    expect(store.peek('user@agency.gov')).toMatchObject({ status: 'active', activatedAt: START, version: 2 });
  });

  it('moves a pending contractor to awaiting_sponsor and only then emails the sponsor a review link', async () => {
    const { store, confirm, notifier } = setup();
    const token = newLinkToken();
    store.seed({
      ...pendingAccount('someone@contractor.com', token, 'contractor'),
      requestId: 'req-1',
      request: { id: 'req-1', company: 'Acme', sponsorEmail: 'boss@agency.gov', justification: 'Testing', requestedAt: START },
    });
    expect(notifier.sent).toHaveLength(0);

    await expect(confirm(token)).resolves.toEqual({ status: 'awaiting_sponsor', email: 'someone@contractor.com' });
    const stored = store.peek('someone@contractor.com');
    expect(stored?.status).toBe('awaiting_sponsor');
    expect(notifier.sent.map((email) => [email.to, email.email.type])).toEqual([['boss@agency.gov', 'sponsor_request']]);
    expect(notifier.last().link?.url).toBe(
      `https://sandbox.example.gov/sponsorships/review?token=approval.req-1.${stored?.approvalJti}.${stored?.approvalExpiresAt}`,
    );
  });

  it('works one second before the link expires', async () => {
    const { confirm, clock } = setup();
    clock.advanceSeconds(TTL - 1);

    await expect(confirm()).resolves.toMatchObject({ status: 'active' });
  });

  it('refuses an expired link with ExpiredTokenError and leaves the account pending', async () => {
    const { confirm, clock, store } = setup();
    clock.advanceSeconds(TTL);

    await expect(confirm()).rejects.toBeInstanceOf(ExpiredTokenError);
    expect(store.peek('user@agency.gov')?.status).toBe('pending');
    expect(store.calls.put).toBe(0);
  });

  it('refuses a second use with AlreadyVerifiedError and changes nothing', async () => {
    const { confirm, store, clock } = setup();
    await confirm();
    const afterFirst = store.peek('user@agency.gov');

    clock.advanceSeconds(5);
    await expect(confirm()).rejects.toBeInstanceOf(AlreadyVerifiedError);
    expect(store.peek('user@agency.gov')).toEqual(afterFirst);
  });

  it('answers AlreadyVerifiedError for a used link even after it would have expired', async () => {
    const { confirm, clock } = setup();
    await confirm();

    clock.advanceSeconds(TTL * 3);
    await expect(confirm()).rejects.toBeInstanceOf(AlreadyVerifiedError);
  });

  it('lets exactly one of 20 concurrent uses win; the other 19 get AlreadyVerifiedError', async () => {
    const { confirm, store } = setup();

    const results = await Promise.allSettled(Array.from({ length: 20 }, () => confirm()));

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    expect(rejected.every((reason) => reason instanceof AlreadyVerifiedError)).toBe(true);
    expect(store.peek('user@agency.gov')?.history.filter((entry) => entry.event === 'email_verified')).toHaveLength(1);
  });

  it('decides the race by the conditional write: all 20 read the pending account, one write lands', async () => {
    const { confirm, store } = setup();

    await Promise.allSettled(Array.from({ length: 20 }, () => confirm()));

    expect([store.puts.length, store.puts.filter((put) => put.written).length]).toEqual([20, 1]);
  });

  it('retries once when an unrelated write bumped the version between read and write', async () => {
    const { confirm, store } = setup();
    store.beforePut = (next) => {
      store.beforePut = undefined;
      store.seed({ ...store.peek(next.email)!, name: 'Renamed', version: 2 });
    };

    await expect(confirm()).resolves.toMatchObject({ status: 'active' });
    expect(store.peek('user@agency.gov')).toMatchObject({ status: 'active', name: 'Renamed', version: 3 });
  });

  it('refuses a link superseded by a resend between read and write with InvalidTokenError', async () => {
    const { confirm, store } = setup();
    store.beforePut = (next) => {
      store.beforePut = undefined;
      store.seed({ ...pendingAccount(next.email, newLinkToken()), version: 2 });
    };

    await expect(confirm()).rejects.toBeInstanceOf(InvalidTokenError);
    expect(store.peek('user@agency.gov')?.status).toBe('pending');
  });

  it('never lets a token for account A change account B', async () => {
    const { store, confirm } = setup();
    const other = pendingAccount('other@agency.gov', newLinkToken());
    store.seed(other);

    await confirm();

    expect(store.peek('user@agency.gov')?.status).toBe('active');
    expect(store.peek('other@agency.gov')).toEqual(other);
  });

  it('never writes the raw token or the full address to the log', async () => {
    const { confirm, log, token } = setup();

    await confirm();
    await confirm().catch(() => undefined);

    expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain('user@agency.gov');
  });

  it('logs a refused link as a security event', async () => {
    const { confirm, log } = setup();

    await confirm(newLinkToken()).catch(() => undefined);

    expect(log.at('warn').map((entry) => entry.message)).toEqual([expect.stringContaining('security')]);
  });
});

describe('inspectVerification (what GET /verify does: read only)', () => {
  it('reports a ready link as ready without writing', async () => {
    const { inspect, store } = setup();

    await expect(inspect()).resolves.toEqual({ state: 'ready', pending: { email: 'user@agency.gov', kind: 'agency' } });
    expect(store.calls.put).toBe(0);
  });

  it('reports a used link as done with the standing status without writing', async () => {
    const { inspect, confirm, store } = setup();
    await confirm();
    const putsAfterConfirm = store.calls.put;

    await expect(inspect()).resolves.toEqual({ state: 'done', status: 'active' });
    expect(store.calls.put).toBe(putsAfterConfirm);
  });

  it('refuses an unknown link with InvalidTokenError without writing', async () => {
    const { inspect, store } = setup();

    await expect(inspect(newLinkToken())).rejects.toBeInstanceOf(InvalidTokenError);
    expect(store.calls.put).toBe(0);
  });

  it.each(GARBAGE)('refuses a garbage token (%s) without asking the store', async (_label, token) => {
    const { inspect, store } = setup();

    await expect(inspect(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(store.totalCalls).toBe(0);
  });

  it('refuses an expired link with ExpiredTokenError without writing', async () => {
    const { inspect, clock, store } = setup();
    clock.advanceSeconds(TTL);

    await expect(inspect()).rejects.toBeInstanceOf(ExpiredTokenError);
    expect(store.calls.put).toBe(0);
  });

  it('leaves the account pending however often a mail scanner opens the link', async () => {
    const { inspect, store } = setup();
    const before = store.peek('user@agency.gov');

    for (let i = 0; i < 10; i++) await inspect();

    expect(store.peek('user@agency.gov')).toEqual(before);
    expect(store.calls.put).toBe(0);
  });
});

describe('confirmVerification with action cancel ("This is not my request")', () => {
  const cancel = (deps: ConfirmDeps, token: string) =>
    confirmVerification({ token, action: 'cancel', clientIp: IP, baseUrl: 'https://sandbox.example.gov' }, deps);

  it('removes the pending request, so its links do nothing more and a new request can be made at once', async () => {
    const { deps, store, token, confirm } = setup();

    await expect(cancel(deps, token)).resolves.toEqual({ status: 'cancelled', email: 'user@agency.gov' });

    expect(store.peek('user@agency.gov')).toBeUndefined();
    await expect(confirm(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('cannot undo a confirmation: a used link answers 409 and the account stays', async () => {
    const { deps, store, token, confirm } = setup();
    await confirm(token);

    await expect(cancel(deps, token)).rejects.toBeInstanceOf(AlreadyVerifiedError);
    expect(store.peek('user@agency.gov')?.status).toBe('active');
  });

  it('of a confirm and a cancel racing on one version, exactly one wins', async () => {
    const { deps, store, token, confirm } = setup();

    const results = await Promise.allSettled([confirm(token), cancel(deps, token)]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const stored = store.peek('user@agency.gov');
    const winner = results.find((result) => result.status === 'fulfilled')?.value.status;
    expect(winner === 'cancelled' ? stored : stored?.status).toEqual(winner === 'cancelled' ? undefined : 'active');
  });
});

describe('final answers come from the item, not an index copy', () => {
  it('confirms a pending account whose index copy already says active (a copy ahead of its item, as after a crash)', async () => {
    const { store, confirm } = setup();
    const real = store.peek('user@agency.gov')!;
    store.findByLinkId = async () => ({ ...real, status: 'active', version: real.version + 1 });
    await expect(confirm()).resolves.toMatchObject({ status: 'active' });
    expect(store.peek('user@agency.gov')?.status).toBe('active');
  });

  it('shows the confirmation page when the index copy lags behind a newer link', async () => {
    const { store, inspect } = setup();
    const real = store.peek('user@agency.gov')!;
    store.findByLinkId = async () => ({ ...real, verifyLinks: [] });
    await expect(inspect()).resolves.toMatchObject({ state: 'ready' });
  });
});
