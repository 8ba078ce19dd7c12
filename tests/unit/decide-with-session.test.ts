import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { type AppError, NotFoundError, NotTheSponsorError, SignInRequiredError } from '../../functions/core/errors';
import type { TokenCheck } from '../../functions/core/ports';
import type { SponsorSession } from '../../functions/core/session';
import { statusOf } from '../../functions/http/respond';
import { type DecideDeps, type DecideInput, decideSponsorshipRequest } from '../../functions/use-cases/decide-sponsorship';
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
  rejection,
  sponsorSession,
} from '../support/fakes';

const START = '2030-01-15T12:00:00.000Z';
const BASE_URL = 'https://sandbox.example.gov';
const SPONSOR = 'sam.sponsor@agency.gov';
const STRANGER = 'mallory@agency.gov';
const STRANGER_IP = '203.0.113.66';
const SPONSOR_IP = '198.51.100.7';

class CountingApprovals extends FakeApprovalTokens {
  checks = 0;
  override check(token: string, nowMs: number): Promise<TokenCheck> {
    this.checks++;
    return super.check(token, nowMs);
  }
}

class CountingSponsors extends InMemorySponsorDirectory {
  reads = 0;
  override requestOf(mailbox: string, requestId: string): Promise<string | undefined> {
    this.reads++;
    return super.requestOf(mailbox, requestId);
  }
}

async function setup() {
  const clock = new ManualClock(START);
  const store = new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const approvals = new CountingApprovals();
  const sponsors = new CountingSponsors();
  const limiter = new InMemoryRateLimiter();
  const deps: DecideDeps = {
    ...DELIVERY,
    store,
    notifier,
    clock,
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    approvals,
    sponsors,
    limiter,
  };

  /** A contractor awaiting `sponsorEmail`'s decision, as a confirmation leaves one: its review token, and its row in the sponsor's list. */
  const awaiting = async (email: string, sponsorEmail = SPONSOR) => {
    const requestId = `req-${email.split('@')[0]}`;
    const { token, jti, expiresAt } = await approvals.issue(requestId, clock.nowMs());
    const account: Account = {
      email,
      kind: 'contractor',
      status: 'awaiting_sponsor',
      name: 'Casey Contractor',
      createdAt: START,
      updatedAt: START,
      requestId,
      request: { id: requestId, company: 'Acme', sponsorEmail, justification: 'Work.', requestedAt: START },
      approvalJti: jti,
      approvalExpiresAt: expiresAt,
      history: [{ at: START, event: 'sponsorship_requested', by: 'self' }],
      version: 2,
    };
    store.seed(account);
    await sponsors.addRequest(sponsorEmail.replace(/\+[^@]*/, ''), requestId, email);
    return { token, requestId, account };
  };

  const decide = (input: Partial<DecideInput> & { session?: SponsorSession }, clientIp = SPONSOR_IP) =>
    decideSponsorshipRequest({ decision: 'approve', clientIp, baseUrl: BASE_URL, ...input }, deps);

  return { clock, store, notifier, approvals, sponsors, limiter, deps, awaiting, decide };
}

const answerOf = (error: unknown) => [statusOf(error as AppError), (error as AppError).code];

describe('a decision needs a sponsor session', () => {
  it.each([
    ['the review link’s token', true],
    ['the dashboard’s request id', false],
  ])('without one, by %s, it is refused (401 sign_in_required) before anything is read', async (_label, byToken) => {
    const { awaiting, decide, store, approvals, sponsors, notifier } = await setup();
    const { token, requestId, account } = await awaiting('casey@acme.com');
    const reads = store.totalCalls;

    const error = await rejection(decide(byToken ? { token } : { requestId }));

    expect(error).toBeInstanceOf(SignInRequiredError);
    expect(answerOf(error)).toEqual([401, 'sign_in_required']);
    expect([store.totalCalls - reads, approvals.checks, sponsors.reads, notifier.attempts]).toEqual([0, 0, 0, []]);
    expect(store.peek(account.email)).toEqual(account);
  });
});

describe('signed in as someone other than the request’s sponsor', () => {
  it('is refused (403 not_the_sponsor), changes nothing, and the sponsor hears of it once an hour however often it is tried', async () => {
    const { awaiting, decide, store, notifier, clock } = await setup();
    const { token, account } = await awaiting('casey@acme.com');
    const stranger = sponsorSession(STRANGER);

    const first = await rejection(decide({ token, session: stranger }, STRANGER_IP));
    clock.advanceSeconds(600);
    const second = await rejection(decide({ token, decision: 'deny', session: stranger }, STRANGER_IP));

    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(NotTheSponsorError);
      expect(answerOf(error)).toEqual([403, 'not_the_sponsor']);
    }
    expect((first as Error).message).toContain(STRANGER);
    expect(store.peek(account.email)).toEqual(account);
    expect(store.puts).toEqual([]);
    expect(notifier.sent).toEqual([
      {
        to: SPONSOR,
        email: { type: 'decision_attempt', signedInAs: STRANGER, contractorEmail: account.email, clientIp: STRANGER_IP, at: START },
        link: { url: `${BASE_URL}/sponsors` },
      },
    ]);
  });

  it('tells the sponsor again in a later hour', async () => {
    const { awaiting, decide, notifier, clock } = await setup();
    const { token } = await awaiting('casey@acme.com');
    await rejection(decide({ token, session: sponsorSession(STRANGER) }, STRANGER_IP));
    clock.advanceSeconds(3600);
    await rejection(decide({ token, session: sponsorSession(STRANGER) }, STRANGER_IP));
    expect(notifier.sent.map((sent) => [sent.to, sent.email.type])).toEqual([
      [SPONSOR, 'decision_attempt'],
      [SPONSOR, 'decision_attempt'],
    ]);
  });

  it('counts each request on its own: tries on two requests tell their sponsors once each', async () => {
    const { awaiting, decide, notifier } = await setup();
    const a = await awaiting('a@acme.com');
    const b = await awaiting('b@acme.com', 'chief@agency.gov');
    for (const token of [a.token, b.token, a.token, b.token]) await rejection(decide({ token, session: sponsorSession(STRANGER) }));
    expect(notifier.sent.map((sent) => [sent.to, sent.email.type])).toEqual([
      [SPONSOR, 'decision_attempt'],
      ['chief@agency.gov', 'decision_attempt'],
    ]);
  });

  it('a session that proves another address of the provider’s is still not the sponsor unless that address is', async () => {
    const { awaiting, decide, store } = await setup();
    const { token, account } = await awaiting('casey@acme.com');
    const error = await rejection(decide({ token, session: sponsorSession(STRANGER, 'oidc', { also: ['m@agency.gov'] }) }));
    expect(error).toBeInstanceOf(NotTheSponsorError);
    expect(store.peek(account.email)).toEqual(account);
  });
});

describe('signed in as the sponsor', () => {
  it('decides by the review link, and the audit entry names the sponsor and how they signed in (emailed code)', async () => {
    const { awaiting, decide, store, notifier } = await setup();
    const { token, account } = await awaiting('casey@acme.com');

    await expect(decide({ token, session: sponsorSession(SPONSOR) })).resolves.toEqual({
      status: 'approved',
      accessExpiresAt: expect.any(String),
    });

    const stored = store.peek(account.email)!;
    expect(stored.status).toBe('active');
    expect(stored.history.at(-1)).toEqual({
      at: START,
      event: 'sponsorship_approved',
      by: `sponsor:${SPONSOR}`,
      ip: SPONSOR_IP,
      via: 'emailed_code',
    });
    expect(notifier.sent.map((sent) => [sent.to, sent.email.type])).toEqual([
      [account.email, 'sponsorship_approved'],
      [SPONSOR, 'decision_receipt'],
    ]);
  });

  it('accepts a provider’s session that vouches for the sponsor’s address among its others (all_emails); the entry names oidc and the subject', async () => {
    const { awaiting, decide, store } = await setup();
    const { token, account } = await awaiting('casey@acme.com');
    const session = sponsorSession('s.sponsor@agency.gov', 'oidc', {
      also: [SPONSOR],
      sub: 'a1b2c3d4-uuid',
      acr: 'urn:acr.login.gov:auth-only',
    });

    await expect(decide({ token, decision: 'deny', reason: 'Not ours.', session })).resolves.toEqual({ status: 'denied' });

    expect(store.peek(account.email)?.history.at(-1)).toEqual({
      at: START,
      event: 'sponsorship_denied',
      by: `sponsor:${SPONSOR}`,
      ip: SPONSOR_IP,
      via: 'oidc',
      sub: 'a1b2c3d4-uuid',
      acr: 'urn:acr.login.gov:auth-only',
    });
  });

  it('takes the sponsor’s mailbox however the contractor wrote it (+tag)', async () => {
    const { awaiting, decide, store } = await setup();
    const { token, account } = await awaiting('casey@acme.com', 'sam.sponsor+contractors@agency.gov');
    await expect(decide({ token, session: sponsorSession(SPONSOR) })).resolves.toEqual({
      status: 'approved',
      accessExpiresAt: expect.any(String),
    });
    expect(store.peek(account.email)?.status).toBe('active');
  });
});

describe('deciding from the dashboard, by request id', () => {
  it('decides the sponsor’s own request', async () => {
    const { awaiting, decide, store } = await setup();
    const { requestId, account } = await awaiting('casey@acme.com');
    await expect(decide({ requestId, session: sponsorSession(SPONSOR, 'oidc') })).resolves.toEqual({
      status: 'approved',
      accessExpiresAt: expect.any(String),
    });
    expect(store.peek(account.email)?.history.at(-1)).toMatchObject({ by: `sponsor:${SPONSOR}`, via: 'oidc', sub: `idp|${SPONSOR}` });
  });

  it('finds no request of another sponsor’s: the same answer as for one that does not exist, nothing changed and nobody told', async () => {
    const { awaiting, decide, store, notifier } = await setup();
    const theirs = await awaiting('casey@acme.com', 'chief@agency.gov');
    const session = sponsorSession(SPONSOR);

    const foreign = await rejection(decide({ requestId: theirs.requestId, session }));
    const unknown = await rejection(decide({ requestId: 'req-nobody', session }));

    expect(foreign).toBeInstanceOf(NotFoundError);
    expect([answerOf(foreign), (foreign as Error).message]).toEqual([answerOf(unknown), (unknown as Error).message]);
    expect(store.peek(theirs.account.email)).toEqual(theirs.account);
    expect([store.puts, notifier.attempts]).toEqual([[], []]);
  });

  it('answers a decided request of the sponsor’s with the standing status (409)', async () => {
    const { awaiting, decide } = await setup();
    const { requestId } = await awaiting('casey@acme.com');
    const session = sponsorSession(SPONSOR);
    await decide({ requestId, session });
    const again = await rejection(decide({ requestId, decision: 'deny', session }));
    expect([answerOf(again), (again as AppError).details]).toEqual([[409, 'already_decided'], { status: 'approved' }]);
  });
});

describe('deciding from the dashboard: a request id names that request only', () => {
  it('refuses a request id the contractor has since replaced with a new request (to another sponsor), telling nobody', async () => {
    const { awaiting, decide, store, notifier, sponsors } = await setup();
    const old = await awaiting('casey@acme.com');
    // Casey asked again, naming another sponsor: the account now holds request 2; Sam's row still names request 1.
    const { jti, expiresAt } = await new FakeApprovalTokens().issue('req-2', Date.parse(START));
    const replaced: Account = {
      ...old.account,
      requestId: 'req-2',
      request: { ...old.account.request!, id: 'req-2', sponsorEmail: 'chief@agency.gov' },
      approvalJti: jti,
      approvalExpiresAt: expiresAt,
      version: old.account.version + 3,
    };
    store.seed(replaced);
    await sponsors.addRequest('chief@agency.gov', 'req-2', replaced.email);

    const error = await rejection(decide({ requestId: old.requestId, session: sponsorSession(SPONSOR) }));
    const unknown = await rejection(decide({ requestId: 'req-nobody', session: sponsorSession(SPONSOR) }));

    expect(answerOf(error)).toEqual(answerOf(unknown));
    expect(store.peek(replaced.email)).toEqual(replaced);
    expect(notifier.attempts, 'the new sponsor gets no "someone tried to decide" notice').toEqual([]);
  });

  it('does not decide the contractor’s newer request (to the same sponsor) under the old request’s id', async () => {
    const { awaiting, decide, store, approvals } = await setup();
    const old = await awaiting('casey@acme.com');
    const { jti, expiresAt } = await approvals.issue('req-2', Date.parse(START));
    const replaced: Account = {
      ...old.account,
      requestId: 'req-2',
      request: { ...old.account.request!, id: 'req-2', justification: 'A different job.' },
      approvalJti: jti,
      approvalExpiresAt: expiresAt,
      version: old.account.version + 3,
    };
    store.seed(replaced);

    await expect(decide({ requestId: old.requestId, session: sponsorSession(SPONSOR) })).rejects.toBeInstanceOf(NotFoundError);
    expect(store.peek(replaced.email)).toEqual(replaced);
  });
});
