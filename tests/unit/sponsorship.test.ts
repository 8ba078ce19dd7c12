import { describe, expect, it } from 'vitest';
import { JoseApprovalTokens } from '../../functions/adapters/jose-approval-tokens';
import { newKeySetJson, parseKeySet } from '../../functions/adapters/signing-keys';
import type { Account } from '../../functions/core/account';
import type { EligibilityPolicy } from '../../functions/core/address';
import {
  AlreadyDecidedError,
  AlreadyVerifiedError,
  ExpiredTokenError,
  InvalidEmailError,
  InvalidTokenError,
  LookalikeDomainError,
  RateLimitedError,
  SponsorIsRequesterError,
  SponsorNotEligibleError,
  UseDirectSignupError,
} from '../../functions/core/errors';
import { hashLinkToken } from '../../functions/core/link-token';
import type { ApprovalTokens } from '../../functions/core/ports';
import { EmailNotSentError } from '../../functions/core/ports';
import {
  type DecideDeps,
  type DecideInput,
  decideSponsorshipRequest,
  reviewSponsorship,
} from '../../functions/use-cases/decide-sponsorship';
import { requestSponsorship, type SponsorshipDeps, type SponsorshipInput } from '../../functions/use-cases/request-sponsorship';
import { confirmVerification } from '../../functions/use-cases/verify-email';
import {
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryMailboxAllowances,
  InMemoryRateLimiter,
  InMemorySponsorDirectory,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  rejection,
  type SentEmail,
  sponsorSession,
} from '../support/fakes';

const BASE_URL = 'https://sandbox.example.gov';
const START = '2030-01-15T12:00:00.000Z';
const IP = '198.51.100.23';
const SPONSOR_IP = '203.0.113.7';
const APPROVAL_TTL = 604_800;
const ACCESS_DAYS = 365;
const NO_EXTRAS: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: [] };

const CONTRACTOR = 'dana@contractor.com';
const SPONSOR = 'boss@agency.gov';

function setup(options: { sponsorRequestsPerDay?: number; approvals?: ApprovalTokens } = {}) {
  const store = new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const clock = new ManualClock(START);
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const limiter = new InMemoryRateLimiter();
  const breaker = new InMemoryBreaker();
  const approvals = options.approvals ?? new FakeApprovalTokens(APPROVAL_TTL);
  const sponsors = new InMemorySponsorDirectory();
  /** The sponsor, signed in by an emailed code: every decision below is theirs unless a test says otherwise. */
  const session = sponsorSession(SPONSOR);
  const deps: SponsorshipDeps = {
    ...DELIVERY,
    registry: new InMemoryDomainRegistry(),
    sponsorGovDomainTypes: [],
    store,
    mailer: notifier,
    clock,
    log,
    allowances: new InMemoryMailboxAllowances(),
    suppressions: new InMemorySuppressionList(),
    limiter,
    breaker,
    budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
    policy: NO_EXTRAS,
    metrics,
    emailLimits: { cooldownSeconds: 60, perDay: 5 },
    verifyTtlSeconds: 86_400,
    deniedSponsorMailboxes: ['info', 'noreply', 'no-reply', 'admin'],
  };
  const decideDeps: DecideDeps = {
    ...DELIVERY,
    store,
    notifier,
    clock,
    log,
    metrics,
    approvals,
    sponsors,
    limiter,
    lifecycle: { accessSeconds: ACCESS_DAYS * 86_400, renewalNoticeSeconds: 30 * 86_400 },
  };

  const ask = (input: Partial<SponsorshipInput> = {}) =>
    requestSponsorship(
      {
        email: CONTRACTOR,
        name: 'Dana Contractor',
        company: 'Acme Integrations',
        sponsorEmail: SPONSOR,
        justification: 'We build the login integration for the agency portal.',
        clientIp: IP,
        baseUrl: BASE_URL,
        ...input,
      },
      deps,
    );
  const confirmDeps = {
    ...DELIVERY,
    store,
    clock,
    log,
    metrics,
    notifier,
    approvals,
    limiter,
    sponsorRequestsPerDay: options.sponsorRequestsPerDay ?? 10,
    sponsors,
  };
  const confirm = (token: string) => confirmVerification({ token, clientIp: IP, baseUrl: BASE_URL }, confirmDeps);
  const decide = (token: string, decision: DecideInput['decision'], reason?: string) =>
    decideSponsorshipRequest({ token, decision, clientIp: SPONSOR_IP, session, ...(reason !== undefined ? { reason } : {}) }, decideDeps);
  const review = (token: string) => reviewSponsorship(token, decideDeps);

  /** The request goes out, the contractor confirms: the account awaits its sponsor. Returns the sponsor's token. */
  const awaitingSponsor = async (input: Partial<SponsorshipInput> = {}) => {
    const before = notifier.sent.length;
    await ask(input);
    const verification = notifier.sent[before];
    if (!verification) throw new Error('no verification email');
    await confirm(verifyTokenOf(verification));
    const sponsorEmail = notifier.sent[before + 1];
    if (!sponsorEmail) throw new Error('no sponsor email');
    return reviewTokenOf(sponsorEmail);
  };

  return {
    store,
    notifier,
    clock,
    log,
    metrics,
    limiter,
    breaker,
    approvals,
    sponsors,
    session,
    deps,
    decideDeps,
    ask,
    confirm,
    decide,
    review,
    awaitingSponsor,
  };
}

function verifyTokenOf(email: SentEmail): string {
  if (email.email.type !== 'verify_link') throw new Error(`expected a verify_link email, got ${email.email.type}`);
  const match = /^https:\/\/sandbox\.example\.gov\/verify\?token=([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})$/.exec(email.link?.url ?? '');
  if (!match?.[1]) throw new Error(`unexpected link ${email.link?.url}`);
  return match[1];
}

function reviewTokenOf(email: SentEmail): string {
  if (email.email.type !== 'sponsor_request') throw new Error(`expected a sponsor_request email, got ${email.email.type}`);
  const prefix = `${BASE_URL}/sponsorships/review?token=`;
  const url = email.link?.url ?? '';
  if (!url.startsWith(prefix)) throw new Error(`unexpected link ${url}`);
  return url.slice(prefix.length);
}

const account = (store: InMemoryAccountStore, email = CONTRACTOR): Account => {
  const found = store.peek(email);
  if (!found) throw new Error(`no account for ${email}`);
  return found;
};

describe('requestSponsorship: refusals', () => {
  it.each(['not-an-email', '', 'dana@@contractor.com', 'dana@contractor', 'dåna@contractor.com'])(
    'refuses an invalid contractor address (%j) with InvalidEmailError on field "email"',
    async (email) => {
      const { ask } = setup();

      const error = await rejection(ask({ email }));

      expect(error).toBeInstanceOf(InvalidEmailError);
      expect(error).toMatchObject({ code: 'invalid_email', field: 'email' });
    },
  );

  it.each(['boss', '', 'boss@agency..gov', 'boss@agency.gov, other@agency.gov', '<boss@agency.gov>'])(
    'refuses an invalid sponsor address (%j) with InvalidEmailError on field "sponsorEmail"',
    async (sponsorEmail) => {
      const { ask } = setup();

      const error = await rejection(ask({ sponsorEmail }));

      expect(error).toBeInstanceOf(InvalidEmailError);
      expect(error).toMatchObject({ code: 'invalid_email', field: 'sponsorEmail' });
    },
  );

  it.each([
    ['the same address', 'dana@contractor.com', 'dana@contractor.com'],
    ['a different case', 'Dana@Contractor.COM', 'dana@contractor.com'],
    ['surrounding white space', ' dana@contractor.com\t', '\r\ndana@contractor.com '],
    ['case and white space together', 'DANA@contractor.com', '  dana@CONTRACTOR.com\n'],
  ])('refuses a sponsor who is the requester (%s) with SponsorIsRequesterError', async (_label, email, sponsorEmail) => {
    const { ask } = setup();

    const error = await rejection(ask({ email, sponsorEmail }));

    expect(error).toBeInstanceOf(SponsorIsRequesterError);
    expect(error).toMatchObject({ code: 'sponsor_is_requester' });
  });

  it.each(['dana@agency.gov', 'dana@us.af.mil', 'Dana@CA.GOV'])(
    'refuses a contractor whose own address is eligible (%s) with UseDirectSignupError',
    async (email) => {
      const { ask } = setup();

      const error = await rejection(ask({ email }));

      expect(error).toBeInstanceOf(UseDirectSignupError);
      expect(error).toMatchObject({ code: 'use_direct_signup' });
    },
  );

  it.each(['boss@contractor.com', 'boss@agency.gov.evil.com', 'boss@evilgov.com', 'boss@agency.gov.uk'])(
    'refuses a sponsor who is not eligible (%s) with SponsorNotEligibleError',
    async (sponsorEmail) => {
      const { ask } = setup();

      const error = await rejection(ask({ sponsorEmail }));

      expect(error).toBeInstanceOf(SponsorNotEligibleError);
      expect(error).toMatchObject({ code: 'sponsor_not_eligible' });
    },
  );

  it.each(['dana@ssa.gov.sec-review.com', 'dana@mil.contractor.com', 'dana@x.GOV.acme.com', 'dana@gov.io'])(
    'refuses a contractor address wearing a government label where it does not count (%s) with lookalike_domain',
    async (email) => {
      const { ask } = setup();

      const error = await rejection(ask({ email }));

      expect(error).toMatchObject({ code: 'lookalike_domain', field: 'email' });
    },
  );

  it.each(['dana@government.com', 'dana@govtech.io', 'dana@mil-spec.com', 'dana@gov-contractor.com'])(
    'accepts a domain with gov or mil only inside a label (%s): only a whole label is a look-alike',
    async (email) => {
      const { ask } = setup();
      await expect(ask({ email })).resolves.toBeUndefined();
    },
  );

  it.each(['info@agency.gov', 'NoReply@agency.gov', 'no-reply+x@agency.gov', 'admin@us.af.mil'])(
    'refuses a shared role mailbox as sponsor (%s) with sponsor_not_eligible',
    async (sponsorEmail) => {
      const { ask } = setup();

      const error = await rejection(ask({ sponsorEmail }));

      expect(error).toMatchObject({ code: 'sponsor_not_eligible', field: 'sponsorEmail' });
    },
  );

  it.each([
    ['the contractor’s', { email: 'dana@xn--agenc-ize.gov' }, 'email'],
    ['the sponsor’s', { sponsorEmail: 'boss@xn--agenc-ize.gov' }, 'sponsorEmail'],
    ['the sponsor’s (.mil)', { sponsorEmail: 'boss@xn--rmy-yma.mil' }, 'sponsorEmail'],
  ] as const)('refuses %s address at a government domain with an xn-- label with lookalike_domain', async (_label, input, field) => {
    const { ask, notifier } = setup();

    const error = await rejection(ask(input));

    expect(error).toBeInstanceOf(LookalikeDomainError);
    expect(error).toMatchObject({ code: 'lookalike_domain', field });
    expect(notifier.attempts).toEqual([]);
  });

  it('reports a problem with each address at once: the first decides the code, the other rides along', async () => {
    const { ask } = setup();

    const syntax = await rejection(ask({ email: 'bad', sponsorEmail: 'also bad' }));
    const rules = await rejection(ask({ email: 'dana@ssa.gov.acme.com', sponsorEmail: 'info@agency.gov' }));

    expect(
      [syntax, ...(syntax as InvalidEmailError).others].map((e) => [(e as InvalidEmailError).code, (e as InvalidEmailError).field]),
    ).toEqual([
      ['invalid_email', 'email'],
      ['invalid_email', 'sponsorEmail'],
    ]);
    expect(
      [rules, ...(rules as LookalikeDomainError).others].map((e) => [(e as LookalikeDomainError).code, (e as LookalikeDomainError).field]),
    ).toEqual([
      ['lookalike_domain', 'email'],
      ['sponsor_not_eligible', 'sponsorEmail'],
    ]);
  });

  describe('order when several apply', () => {
    it.each([
      ['both addresses invalid → the contractor address first', { email: 'bad', sponsorEmail: 'also bad' }, InvalidEmailError, 'email'],
      [
        'sponsor invalid and contractor eligible → syntax first',
        { email: 'dana@agency.gov', sponsorEmail: 'bad' },
        InvalidEmailError,
        'sponsorEmail',
      ],
      [
        'sponsor invalid and contractor equal-looking → syntax first',
        { email: 'x@contractor.com', sponsorEmail: 'x@contractor.com.' },
        InvalidEmailError,
        'sponsorEmail',
      ],
      [
        'requester is sponsor and eligible → sponsor_is_requester first',
        { email: 'me@agency.gov', sponsorEmail: 'ME@agency.gov' },
        SponsorIsRequesterError,
        undefined,
      ],
      [
        'requester is sponsor and sponsor not eligible → sponsor_is_requester first',
        { email: 'me@contractor.com', sponsorEmail: 'me@contractor.com' },
        SponsorIsRequesterError,
        undefined,
      ],
      [
        'look-alike contractor and sponsor not eligible → lookalike_domain first',
        { email: 'dana@ssa.gov.acme.com', sponsorEmail: 'boss@contractor.com' },
        LookalikeDomainError,
        'email',
      ],
      [
        'contractor eligible and sponsor not eligible → use_direct_signup first',
        { email: 'dana@agency.gov', sponsorEmail: 'boss@contractor.com' },
        UseDirectSignupError,
        undefined,
      ],
    ] as const)('%s', async (_label, input, type, field) => {
      const { ask } = setup();

      const error = await rejection(ask(input));

      expect(error).toBeInstanceOf(type);
      if (field) expect(error).toMatchObject({ field });
    });
  });

  it.each([
    ['invalid contractor address', { email: 'bad' }],
    ['invalid sponsor address', { sponsorEmail: 'bad' }],
    ['sponsor is requester', { sponsorEmail: CONTRACTOR }],
    ['contractor eligible', { email: 'dana@agency.gov' }],
    ['sponsor not eligible', { sponsorEmail: 'boss@contractor.com' }],
  ])('sends nothing, stores nothing and uses none of the sponsor’s daily quota when refused (%s)', async (_label, input) => {
    const { ask, store, notifier, limiter } = setup();

    await expect(ask(input)).rejects.toBeDefined();

    expect(store.totalCalls).toBe(0);
    expect(store.size).toBe(0);
    expect(notifier.attempts).toHaveLength(0);
    expect(limiter.hits).toHaveLength(0);
  });
});

describe('requestSponsorship: a valid request', () => {
  it('creates one pending contractor account holding the request', async () => {
    const { ask, store } = setup();

    await ask({ email: '  Dana@Contractor.com ', sponsorEmail: ' Boss@Agency.GOV\t' });

    expect(store.size).toBe(1);
    const stored = account(store);
    expect(stored).toMatchObject({
      email: CONTRACTOR,
      kind: 'contractor',
      status: 'pending',
      name: 'Dana Contractor',
      request: {
        company: 'Acme Integrations',
        sponsorEmail: SPONSOR,
        justification: 'We build the login integration for the agency portal.',
        requestedAt: START,
      },
    });
    expect(stored.request?.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored.requestId).toBe(stored.request?.id);
    expect(stored.approvalJti).toBeUndefined();
    expect(stored.history.map((entry) => entry.event)).toEqual(['sponsorship_requested']);
    expect(stored.history[0]).toMatchObject({ by: 'self', ip: IP });
  });

  it('emails a verification link to the contractor only, marked as a contractor’s; the sponsor gets nothing yet', async () => {
    const { ask, store, notifier } = setup();

    await ask();

    expect(notifier.attempts).toHaveLength(1);
    const [email] = notifier.sent;
    expect(email?.to).toBe(CONTRACTOR);
    expect(email?.email).toEqual({ type: 'verify_link', contractor: true });
    expect(email?.link).toEqual({ url: expect.any(String), expiresAt: expect.any(Number) });
    expect(account(store).verifyLinks?.map((link) => link.hash)).toEqual([hashLinkToken(verifyTokenOf(email!))]);
    expect(notifier.sent.some((sent) => sent.to === SPONSOR)).toBe(false);
  });

  it('gives every request its own id that names neither person', async () => {
    const { ask, store } = setup();

    await ask();
    await ask({ email: 'erin@contractor.com' });

    const ids = store.all().map((stored) => stored.requestId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(id).not.toContain('dana');
      expect(id).not.toContain('boss');
    }
  });
});

describe('SPONSOR_REQUESTS_PER_DAY: counts review emails actually sent, at the contractor’s confirmation', () => {
  /** A confirmed request's review email to `sponsorEmail`; resolves to the confirmation's outcome. */
  const confirmedFor = async (flow: ReturnType<typeof setup>, email: string, sponsorEmail = SPONSOR) => {
    const before = flow.notifier.sent.length;
    await flow.ask({ email, sponsorEmail });
    return flow.confirm(verifyTokenOf(flow.notifier.sent[before]!));
  };

  it('unconfirmed requests cost the sponsor nothing: any number of them, and a real contractor still gets through', async () => {
    const flow = setup({ sponsorRequestsPerDay: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await flow.ask({ email: `${name}@stranger.com` });

    await expect(confirmedFor(flow, 'real@contractor.com')).resolves.toMatchObject({ status: 'awaiting_sponsor' });
    expect(flow.notifier.sent.filter((sent) => sent.to === SPONSOR)).toHaveLength(1);
  });

  it('past the limit the confirmation answers 429; the request stays pending and its link keeps working', async () => {
    const flow = setup({ sponsorRequestsPerDay: 1 });
    await confirmedFor(flow, 'a@contractor.com');
    await flow.ask({ email: 'b@contractor.com' });
    const token = verifyTokenOf(flow.notifier.last());

    const error = await rejection(flow.confirm(token));

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(86_400);
    expect(account(flow.store, 'b@contractor.com').status).toBe('pending');
    expect(flow.notifier.sent.filter((sent) => sent.to === SPONSOR)).toHaveLength(1);
    await expect(flow.confirm(token)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('the next day the same link works, if it has not expired', async () => {
    const flow = setup({ sponsorRequestsPerDay: 1 });
    await confirmedFor(flow, 'a@contractor.com');
    await flow.ask({ email: 'b@contractor.com' });
    const token = verifyTokenOf(flow.notifier.last());
    await rejection(flow.confirm(token));

    flow.clock.advanceSeconds(12 * 3600);
    await expect(flow.confirm(token)).resolves.toMatchObject({ status: 'awaiting_sponsor' });
  });

  it('counts the sponsor’s mailbox: case, white space and +tags are one sponsor', async () => {
    const flow = setup({ sponsorRequestsPerDay: 2 });
    await confirmedFor(flow, 'a@contractor.com', 'boss@agency.gov');
    await confirmedFor(flow, 'b@contractor.com', ' BOSS+1@Agency.gov ');

    await expect(confirmedFor(flow, 'c@contractor.com', 'Boss+2@AGENCY.GOV')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('limits each sponsor separately', async () => {
    const flow = setup({ sponsorRequestsPerDay: 1 });
    await confirmedFor(flow, 'a@contractor.com', 'boss@agency.gov');

    await expect(confirmedFor(flow, 'b@contractor.com', 'chief@agency.gov')).resolves.toMatchObject({ status: 'awaiting_sponsor' });
  });

  it('logs the limit as a security event with the hashed key only, and counts it', async () => {
    const flow = setup({ sponsorRequestsPerDay: 1 });
    await confirmedFor(flow, 'a@contractor.com');

    await rejection(confirmedFor(flow, 'b@contractor.com'));

    const [entry] = flow.log.at('warn').filter((line) => line.message === 'security: rate limit reached');
    expect(entry?.fields).toMatchObject({ limit: 'sponsor', key: expect.stringMatching(/^sponsor#[A-Za-z0-9_-]{22}$/) });
    expect(flow.log.text()).not.toContain(SPONSOR);
    expect(flow.metrics.get('RateLimitHits{limit=sponsor}')).toBe(1);
  });

  it('a request costs the sponsor nothing at POST /sponsorships', async () => {
    const flow = setup();
    await flow.ask();
    expect(flow.limiter.hits.filter((hit) => hit.key.startsWith('sponsor#'))).toHaveLength(0);
  });
});

describe('requestSponsorship: asking again', () => {
  it('never replaces a pending request while its link lives: a second request re-sends a link for the same one', async () => {
    const { ask, confirm, store, notifier, clock } = setup();
    await ask();
    const first = account(store);
    const oldToken = verifyTokenOf(notifier.sent[0]!);

    clock.advanceSeconds(61);
    await ask({ name: 'Mallory', company: 'Evil LLC', justification: 'Mine now', sponsorEmail: 'accomplice@agency.gov' });

    const second = account(store);
    expect([second.name, second.request, second.requestId]).toEqual([first.name, first.request, first.requestId]);
    expect(notifier.sent.map((email) => email.to)).toEqual([CONTRACTOR, CONTRACTOR]);
    const newToken = verifyTokenOf(notifier.sent[1]!);
    await expect(confirm(oldToken)).resolves.toEqual({ status: 'awaiting_sponsor', email: CONTRACTOR });
    await expect(confirm(newToken)).rejects.toBeInstanceOf(AlreadyVerifiedError);
    expect(notifier.last()).toMatchObject({ to: SPONSOR, email: { type: 'sponsor_request' } });
    expect(notifier.sent.some((email) => email.to === 'accomplice@agency.gov')).toBe(false);
  });

  it('takes a new request once the pending one’s links have expired', async () => {
    const { ask, confirm, store, notifier, clock } = setup();
    await ask();
    const first = account(store);

    clock.advanceSeconds(86_400);
    await ask({ company: 'Acme Integrations LLC', justification: 'Second try', sponsorEmail: 'chief@agency.gov' });

    const second = account(store);
    expect(second.request).toMatchObject({ company: 'Acme Integrations LLC', sponsorEmail: 'chief@agency.gov' });
    expect(second.requestId).not.toBe(first.requestId);
    await expect(confirm(verifyTokenOf(notifier.sent[0]!))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(confirm(verifyTokenOf(notifier.sent[1]!))).resolves.toEqual({ status: 'awaiting_sponsor', email: CONTRACTOR });
    expect(notifier.last()).toMatchObject({ to: 'chief@agency.gov', email: { type: 'sponsor_request' } });
  });

  it('sends nothing and changes nothing while the sponsor’s approval link is still valid', async () => {
    const { awaitingSponsor, ask, store, notifier, clock } = setup();
    await awaitingSponsor();
    const before = account(store);
    const sent = notifier.attempts.length;

    clock.advanceSeconds(APPROVAL_TTL - 3600);
    await ask({ company: 'Another company' });

    expect(notifier.attempts).toHaveLength(sent);
    expect(account(store)).toEqual(before);
  });

  it('sends a new verification link (back to pending) once the approval link has expired, and the old approval link stops working', async () => {
    const { awaitingSponsor, ask, store, notifier, clock, decide, confirm } = setup();
    const oldApproval = await awaitingSponsor();
    const before = account(store);

    clock.advanceSeconds(APPROVAL_TTL);
    await ask({ justification: 'Asking again' });

    const after = account(store);
    expect(after.status).toBe('pending');
    expect(after.approvalJti).toBeUndefined();
    expect(after.approvalExpiresAt).toBeUndefined();
    expect(after.requestId).not.toBe(before.requestId);
    expect(after.request?.justification).toBe('Asking again');
    expect(notifier.last()).toMatchObject({ to: CONTRACTOR, email: { type: 'verify_link', contractor: true } });
    expect(after.verifyLinks?.at(-1)?.hash).toBe(hashLinkToken(verifyTokenOf(notifier.last())));
    await expect(decide(oldApproval, 'approve')).rejects.toBeInstanceOf(InvalidTokenError);

    await confirm(verifyTokenOf(notifier.last()));
    expect(account(store).status).toBe('awaiting_sponsor');
    expect(notifier.last()).toMatchObject({ to: SPONSOR, email: { type: 'sponsor_request' } });
  });
});

describe('reviewSponsorship', () => {
  it('returns the waiting request and writes nothing, however often it is opened', async () => {
    const { awaitingSponsor, review, store, notifier } = setup();
    const token = await awaitingSponsor();
    const puts = store.calls.put;
    const before = account(store);
    const sent = notifier.attempts.length;

    for (let i = 0; i < 5; i++) {
      const result = await review(token);
      expect(result.state).toBe('ready');
      expect(result.state === 'ready' && result.request).toMatchObject({ email: CONTRACTOR, company: 'Acme Integrations' });
      expect(result.state === 'ready' && result.sponsorMailbox, 'whom the page asks to sign in').toBe(SPONSOR);
    }

    expect(store.calls.put).toBe(puts);
    expect(account(store)).toEqual(before);
    expect(notifier.attempts).toHaveLength(sent);
  });

  it.each([
    ['approve', 'approved'],
    ['deny', 'denied'],
  ] as const)('shows a request decided with %s as done with the outcome %s, writing nothing', async (decision, outcome) => {
    const { awaitingSponsor, review, decide, store } = setup();
    const token = await awaitingSponsor();
    await decide(token, decision);
    const puts = store.calls.put;

    await expect(review(token)).resolves.toEqual({ state: 'done', outcome });
    expect(store.calls.put).toBe(puts);
  });

  it('still shows an approved request as approved after the contractor’s access has expired', async () => {
    const { awaitingSponsor, review, decide, store } = setup();
    const token = await awaitingSponsor();
    await decide(token, 'approve');
    const approved = account(store);
    store.seed({ ...approved, status: 'expired', version: approved.version + 1 });

    await expect(review(token)).resolves.toEqual({ state: 'done', outcome: 'approved' });
  });

  it('refuses an expired approval link with ExpiredTokenError', async () => {
    const { awaitingSponsor, review, clock } = setup();
    const token = await awaitingSponsor();
    clock.advanceSeconds(APPROVAL_TTL);

    await expect(review(token)).rejects.toBeInstanceOf(ExpiredTokenError);
  });

  it('refuses a token the token service never issued with InvalidTokenError', async () => {
    const { awaitingSponsor, review, store } = setup();
    await awaitingSponsor();
    const { requestId, approvalJti, approvalExpiresAt } = account(store);

    await expect(review(`approval.${requestId}.${approvalJti}.${approvalExpiresAt}x`)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('decideSponsorshipRequest', () => {
  it('approves: the account becomes active for contractorAccessDays, sponsored by the sponsor, with an audit entry', async () => {
    const { awaitingSponsor, decide, store, clock } = setup();
    const token = await awaitingSponsor();
    clock.advanceSeconds(3600);
    const now = clock.nowMs();

    await expect(decide(token, 'approve')).resolves.toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });

    const stored = account(store);
    expect(stored).toMatchObject({
      status: 'active',
      sponsoredBy: SPONSOR,
      approvedAt: new Date(now).toISOString(),
      accessExpiresAt: new Date(now + ACCESS_DAYS * 86_400_000).toISOString(),
    });
    expect(stored.history.at(-1)).toEqual({
      at: new Date(now).toISOString(),
      event: 'sponsorship_approved',
      by: `sponsor:${SPONSOR}`,
      ip: SPONSOR_IP,
      via: 'emailed_code',
    });
  });

  it('emails the contractor that the sponsorship was approved, and the sponsor a receipt naming the client address', async () => {
    const { awaitingSponsor, decide, notifier, clock } = setup();
    const token = await awaitingSponsor();
    const sent = notifier.sent.length;

    await decide(token, 'approve');

    expect(notifier.sent.slice(sent)).toEqual([
      {
        to: CONTRACTOR,
        email: {
          type: 'sponsorship_approved',
          accessExpiresAt: new Date(clock.nowMs() + ACCESS_DAYS * 86_400_000).toISOString(),
          name: 'Dana Contractor',
        },
      },
      {
        to: SPONSOR,
        email: {
          type: 'decision_receipt',
          outcome: 'approved',
          contractorEmail: CONTRACTOR,
          clientIp: SPONSOR_IP,
          at: new Date(clock.nowMs()).toISOString(),
        },
      },
    ]);
  });

  it('denies with a reason: the account is denied, keeps the reason, and the contractor is told the reason', async () => {
    const { awaitingSponsor, decide, store, notifier } = setup();
    const token = await awaitingSponsor();
    const sent = notifier.sent.length;

    await expect(decide(token, 'deny', 'We have no contract with Acme.')).resolves.toEqual({ status: 'denied' });

    const stored = account(store);
    expect(stored).toMatchObject({ status: 'denied', decisionReason: 'We have no contract with Acme.', deniedAt: START });
    expect(stored.sponsoredBy).toBeUndefined();
    expect(stored.accessExpiresAt).toBeUndefined();
    expect(stored.history.at(-1)).toMatchObject({
      event: 'sponsorship_denied',
      by: `sponsor:${SPONSOR}`,
      ip: SPONSOR_IP,
      via: 'emailed_code',
    });
    expect(notifier.sent.slice(sent)).toEqual([
      { to: CONTRACTOR, email: { type: 'sponsorship_denied', reason: 'We have no contract with Acme.', name: 'Dana Contractor' } },
      { to: SPONSOR, email: expect.objectContaining({ type: 'decision_receipt', outcome: 'denied', clientIp: SPONSOR_IP }) },
    ]);
  });

  it.each([
    ['approve', 'deny', 'approved'],
    ['deny', 'approve', 'denied'],
    ['approve', 'approve', 'approved'],
    ['deny', 'deny', 'denied'],
  ] as const)(
    'answers a %s followed by a %s with AlreadyDecidedError carrying the standing status (%s), changing nothing',
    async (first, second, standing) => {
      const { awaitingSponsor, decide, store, notifier, clock } = setup();
      const token = await awaitingSponsor();
      await decide(token, first);
      const after = account(store);
      const sent = notifier.attempts.length;

      clock.advanceSeconds(30);
      const error = await rejection(decide(token, second));

      expect(error).toBeInstanceOf(AlreadyDecidedError);
      expect((error as AlreadyDecidedError).details).toEqual({ status: standing });
      expect(account(store)).toEqual(after);
      expect(notifier.attempts).toHaveLength(sent);
    },
  );

  it('still answers AlreadyDecidedError (not expired) for a decided request after the approval link’s time', async () => {
    const { awaitingSponsor, decide, clock } = setup();
    const token = await awaitingSponsor();
    await decide(token, 'deny');

    clock.advanceSeconds(APPROVAL_TTL * 2);
    const error = await rejection(decide(token, 'approve'));

    expect(error).toBeInstanceOf(AlreadyDecidedError);
    expect((error as AlreadyDecidedError).details).toEqual({ status: 'denied' });
  });

  it('answers AlreadyDecidedError with "approved" for an approved contractor whose access has since expired', async () => {
    const { awaitingSponsor, decide, store } = setup();
    const token = await awaitingSponsor();
    await decide(token, 'approve');
    const approved = account(store);
    store.seed({ ...approved, status: 'expired', version: approved.version + 1 });

    const error = await rejection(decide(token, 'deny'));

    expect(error).toBeInstanceOf(AlreadyDecidedError);
    expect((error as AlreadyDecidedError).details).toEqual({ status: 'approved' });
    expect(account(store).status).toBe('expired');
  });

  it('lets exactly one of 20 concurrent decisions (approve and deny mixed) win; the other 19 get AlreadyDecidedError', async () => {
    const { awaitingSponsor, decide, store, notifier } = setup();
    const token = await awaitingSponsor();
    const sent = notifier.sent.length;

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => decide(token, i % 2 === 0 ? 'approve' : 'deny', `reason ${i}`)),
    );

    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    expect(lost.every((reason) => reason instanceof AlreadyDecidedError)).toBe(true);
    const stored = account(store);
    const winner = won[0]?.status;
    expect(stored.status).toBe(winner === 'approved' ? 'active' : 'denied');
    for (const reason of lost) expect((reason as AlreadyDecidedError).details).toEqual({ status: winner });
    expect(
      stored.history.filter((entry) => entry.event.startsWith('sponsorship_') && entry.event !== 'sponsorship_requested'),
    ).toHaveLength(1);
    // One outcome to the contractor, one receipt to the sponsor: nothing for the 19 that lost.
    expect(notifier.sent.slice(sent).map((email) => email.email.type)).toEqual([
      stored.status === 'active' ? 'sponsorship_approved' : 'sponsorship_denied',
      'decision_receipt',
    ]);
  });

  it('refuses an expired approval token with ExpiredTokenError and leaves the account awaiting its sponsor', async () => {
    const { awaitingSponsor, decide, store, notifier, clock } = setup();
    const token = await awaitingSponsor();
    const before = account(store);
    const puts = store.calls.put;
    const sent = notifier.attempts.length;

    clock.advanceSeconds(APPROVAL_TTL);
    await expect(decide(token, 'approve')).rejects.toBeInstanceOf(ExpiredTokenError);

    expect(account(store)).toEqual(before);
    expect(account(store).status).toBe('awaiting_sponsor');
    expect(store.calls.put).toBe(puts);
    expect(notifier.attempts).toHaveLength(sent);
  });

  it('works one second before the approval token expires', async () => {
    const { awaitingSponsor, decide, clock } = setup();
    const token = await awaitingSponsor();

    clock.advanceSeconds(APPROVAL_TTL - 1);
    await expect(decide(token, 'approve')).resolves.toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });
  });

  it('refuses a genuine token for the same request whose jti is not the stored one with InvalidTokenError', async () => {
    const { awaitingSponsor, decide, store, approvals, clock } = setup();
    await awaitingSponsor();
    const before = account(store);
    const stray = await approvals.issue(before.requestId!, clock.nowMs());
    expect(stray.jti).not.toBe(before.approvalJti);

    await expect(decide(stray.token, 'approve')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(account(store)).toEqual(before);
  });

  it('refuses a token for a request id no account holds with InvalidTokenError', async () => {
    const { awaitingSponsor, decide, approvals, clock, store } = setup();
    await awaitingSponsor();
    const puts = store.calls.put;

    await expect(decide((await approvals.issue('no-such-request', clock.nowMs())).token, 'approve')).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    expect(store.calls.put).toBe(puts);
  });

  it('refuses garbage tokens with InvalidTokenError', async () => {
    const { awaitingSponsor, decide, store } = setup();
    await awaitingSponsor();
    const puts = store.calls.put;

    for (const token of ['', 'A'.repeat(10_240), 'approval.x.y.z', "' OR 1=1 --"]) {
      await expect(decide(token, 'approve')).rejects.toBeInstanceOf(InvalidTokenError);
    }
    expect(store.calls.put).toBe(puts);
  });

  it('applies a token for request A to account A only: account B is never changed', async () => {
    const { awaitingSponsor, decide, store } = setup();
    const tokenA = await awaitingSponsor({ email: 'a@contractor.com' });
    await awaitingSponsor({ email: 'b@contractor.com' });
    const bBefore = account(store, 'b@contractor.com');

    await decide(tokenA, 'approve');
    await expect(decide(tokenA, 'deny')).rejects.toBeInstanceOf(AlreadyDecidedError);

    expect(account(store, 'a@contractor.com').status).toBe('active');
    expect(account(store, 'b@contractor.com')).toEqual(bBefore);
  });

  it('refuses a token naming request B with the jti of request A, changing neither', async () => {
    const { awaitingSponsor, store, decideDeps, session } = setup();
    await awaitingSponsor({ email: 'a@contractor.com' });
    await awaitingSponsor({ email: 'b@contractor.com' });
    const a = account(store, 'a@contractor.com');
    const b = account(store, 'b@contractor.com');
    // As if the token service had vouched for a mixed-up claim set.
    const mixedUp: ApprovalTokens = {
      issue: () => Promise.reject(new Error('not used')),
      check: async () => ({ verdict: 'valid', claims: { requestId: b.requestId!, jti: a.approvalJti! } }),
    };

    await expect(
      decideSponsorshipRequest(
        { token: 'mixed', decision: 'approve', clientIp: SPONSOR_IP, session },
        { ...decideDeps, approvals: mixedUp },
      ),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    expect(account(store, 'a@contractor.com')).toEqual(a);
    expect(account(store, 'b@contractor.com')).toEqual(b);
  });

  it('treats a token the token service reports as expired as expired, even if the record still has time', async () => {
    const { awaitingSponsor, store, decideDeps, session } = setup();
    await awaitingSponsor();
    const before = account(store);
    const expiredByToken: ApprovalTokens = {
      issue: () => Promise.reject(new Error('not used')),
      check: async () => ({ verdict: 'expired', claims: { requestId: before.requestId!, jti: before.approvalJti! } }),
    };

    await expect(
      decideSponsorshipRequest(
        { token: 't', decision: 'approve', clientIp: SPONSOR_IP, session },
        { ...decideDeps, approvals: expiredByToken },
      ),
    ).rejects.toBeInstanceOf(ExpiredTokenError);
    expect(account(store)).toEqual(before);
  });

  it('keeps the decision when the emails are refused for good, logs each, and keeps them as failed deliveries', async () => {
    const { awaitingSponsor, decide, store, notifier, log, metrics } = setup();
    const token = await awaitingSponsor();
    notifier.failWith = new EmailNotSentError(true, 'MessageRejected: Email address is not verified.');

    await expect(decide(token, 'approve')).resolves.toEqual({ status: 'approved', accessExpiresAt: expect.any(String) });
    expect(account(store).status).toBe('active');
    expect(log.at('error').filter((entry) => entry.message === 'email failed')).toHaveLength(2);
    expect(metrics.get('EmailsFailedPermanently')).toBe(2);
    expect(account(store).outbox?.map((delivery) => [delivery.channel === 'email' && delivery.email.type, delivery.failed])).toEqual([
      ['sponsorship_approved', true],
      ['decision_receipt', true],
    ]);
  });

  it('keeps emails that failed for now in the outbox, due for the sweep after the backoff', async () => {
    const { awaitingSponsor, decide, store, notifier } = setup();
    const token = await awaitingSponsor();
    notifier.failWith = new EmailNotSentError(false, 'Throttling');

    await decide(token, 'approve');
    const stored = account(store);
    expect(stored.outbox?.map((delivery) => [delivery.attempts, delivery.failed])).toEqual([
      [1, undefined],
      [1, undefined],
    ]);
    expect(stored.dueAt).toBe(Math.min(...(stored.outbox ?? []).map((delivery) => delivery.nextAttemptAt)));
  });
});

describe('refused approval links, through the real jose adapter', () => {
  const josePair = () => {
    const keys = parseKeySet(newKeySetJson('k1'), 'test');
    const foreign = parseKeySet(newKeySetJson('k1'), 'attacker');
    return {
      ours: new JoseApprovalTokens(async () => keys, APPROVAL_TTL),
      theirs: new JoseApprovalTokens(async () => foreign, APPROVAL_TTL),
    };
  };

  it('logs a forged token as a security event and counts it in TokenFailures{purpose=approval}, changing nothing', async () => {
    const { ours, theirs } = josePair();
    const { awaitingSponsor, decide, review, store, log, metrics, clock } = setup({ approvals: ours });
    await awaitingSponsor();
    const before = account(store);
    // Same header, same claims, signed with a key this service never held.
    const forged = (await theirs.issue(before.requestId!, clock.nowMs())).token;

    const onReview = await rejection(review(forged));
    const onDecide = await rejection(decide(forged, 'approve'));

    expect(onReview).toBeInstanceOf(InvalidTokenError);
    expect(onDecide).toBeInstanceOf(InvalidTokenError);
    expect(
      log
        .at('warn')
        .filter((entry) => entry.message === 'security: link refused')
        .map((entry) => entry.fields),
    ).toEqual([
      { purpose: 'approval', reason: 'invalid' },
      { purpose: 'approval', reason: 'invalid' },
    ]);
    expect(metrics.get('TokenFailures{purpose=approval,reason=invalid}')).toBe(2);
    expect(account(store)).toEqual(before);
  });

  it('answers a forged token and a superseded genuine one with the same message', async () => {
    const { ours, theirs } = josePair();
    const { awaitingSponsor, decide, store, clock } = setup({ approvals: ours });
    await awaitingSponsor();
    const { requestId } = account(store);
    const superseded = (await ours.issue(requestId!, clock.nowMs())).token;
    const forged = (await theirs.issue(requestId!, clock.nowMs())).token;

    const errors = [await rejection(decide(superseded, 'approve')), await rejection(decide(forged, 'approve'))] as InvalidTokenError[];

    expect(errors.map((error) => error.code)).toEqual(['invalid_token', 'invalid_token']);
    expect(errors[0]!.message).toBe(errors[1]!.message);
  });
});
