import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import type { EligibilityPolicy } from '../../functions/core/address';
import { DomainNotEligibleError, InvalidEmailError, InvalidTokenError, LookalikeDomainError } from '../../functions/core/errors';
import { type SignUpDeps, type SignUpInput, signUp } from '../../functions/use-cases/sign-up';
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
} from '../support/fakes';

const BASE_URL = 'https://sandbox.example.gov';
const NO_EXTRAS: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: [] };

function setup(
  options: {
    store?: InMemoryAccountStore;
    policy?: EligibilityPolicy;
    signInUrl?: string;
    budgets?: { anonymousEmailsPerHour?: number; newAddressEmailsPerDomainPerHour?: number; newAddressSharePerClient?: number };
  } = {},
) {
  const store = options.store ?? new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const clock = new ManualClock('2030-01-15T12:00:00.000Z');
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const allowances = new InMemoryMailboxAllowances();
  const limiter = new InMemoryRateLimiter();
  const breaker = new InMemoryBreaker();
  const suppressions = new InMemorySuppressionList();
  const deps: SignUpDeps = {
    ...DELIVERY,
    registry: new InMemoryDomainRegistry(),
    govDomainTypes: [],
    store,
    mailer: notifier,
    clock,
    log,
    policy: options.policy ?? NO_EXTRAS,
    metrics,
    allowances,
    suppressions,
    limiter,
    breaker,
    budgets: {
      anonymousEmailsPerHour: options.budgets?.anonymousEmailsPerHour ?? 1000,
      newAddressEmailsPerDomainPerHour: options.budgets?.newAddressEmailsPerDomainPerHour ?? 50,
      newAddressSharePerClient: options.budgets?.newAddressSharePerClient ?? 50,
    },
    emailLimits: { cooldownSeconds: 60, perDay: 5 },
    verifyTtlSeconds: 86_400,
    ...(options.signInUrl ? { signInUrl: options.signInUrl } : {}),
  };
  const request = (email = 'user@agency.gov', extra: Partial<SignUpInput> = {}) =>
    signUp({ email, clientIp: '198.51.100.23', baseUrl: BASE_URL, ...extra }, deps);
  const confirm = (token: string) =>
    confirmVerification(
      { token, clientIp: '198.51.100.23', baseUrl: BASE_URL },
      {
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
      },
    );
  return { store, notifier, clock, log, deps, request, confirm, suppressions, allowances, metrics, breaker };
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

/** The token of a verification email, after checking that the link has the contract's shape. */
function tokenOf(email: SentEmail): string {
  if (email.email.type !== 'verify_link') throw new Error(`expected a verify_link email, got ${email.email.type}`);
  const match = /^https:\/\/sandbox\.example\.gov\/verify\?token=([^&#]+)$/.exec(email.link?.url ?? '');
  if (!match?.[1]) throw new Error(`unexpected link ${email.link?.url}`);
  return match[1];
}

describe('signUp: address syntax', () => {
  it.each([
    'not-an-email',
    '',
    'me@mine.gov@elysee.gov',
    '"x@gmail.com x"@agency.gov',
    'user(comment)@agency.gov',
    'user@[192.0.2.1]',
    'user@agency.gov\r\nBcc: victim@agency.gov',
    'user@agency.gov, other@agency.gov',
    'usеr@agency.gov', // Cyrillic е
  ])('refuses %j with InvalidEmailError on the email field, touching nothing', async (email) => {
    const { request, store, notifier } = setup();

    const error = await rejection(request(email));

    expect(error).toBeInstanceOf(InvalidEmailError);
    expect((error as InvalidEmailError).field).toBe('email');
    expect([store.totalCalls, notifier.attempts.length]).toEqual([0, 0]);
  });
});

describe('signUp: eligibility', () => {
  it.each(['user@contractor.com', 'user@agency.gov.evil.com', 'user@evilgov.com', 'user@x.gov.uk'])(
    'refuses %s with DomainNotEligibleError, touching nothing',
    async (email) => {
      const { request, store, notifier } = setup();

      await expect(request(email)).rejects.toBeInstanceOf(DomainNotEligibleError);
      expect([store.totalCalls, notifier.attempts.length]).toEqual([0, 0]);
    },
  );

  it.each(['bob@xn--agenc-ize.gov', 'bob@it.XN--agenc-ize.gov', 'bob@xn--rmy-yma.mil'])(
    'refuses %s, a browser’s spelling of a look-alike domain, with LookalikeDomainError on the email field, touching nothing',
    async (email) => {
      const { request, store, notifier } = setup();

      const error = await rejection(request(email));

      expect(error).toBeInstanceOf(LookalikeDomainError);
      expect(error).toMatchObject({ code: 'lookalike_domain', field: 'email', message: expect.stringContaining('xn--') });
      expect([store.totalCalls, notifier.attempts.length]).toEqual([0, 0]);
    },
  );

  it('points contractors to the sponsorship page and names the email field', async () => {
    const { request } = setup();

    const error = await rejection(request('user@contractor.com'));

    expect(error).toMatchObject({ field: 'email', message: expect.stringContaining('/contractors') });
  });

  it('refuses a .gov address under a denied domain', async () => {
    const { request, notifier } = setup({ policy: { allowedDomainSuffixes: [], deniedDomains: ['blocked.gov'] } });

    await expect(request('user@team.blocked.gov')).rejects.toBeInstanceOf(DomainNotEligibleError);
    expect(notifier.attempts).toHaveLength(0);
  });

  it('accepts an address under an operator-allowed suffix', async () => {
    const { request, notifier } = setup({ policy: { allowedDomainSuffixes: ['fed.us'], deniedDomains: [] } });

    await request('user@agency.fed.us');

    expect(notifier.sent.map((email) => email.to)).toEqual(['user@agency.fed.us']);
  });
});

describe('signUp: a new eligible address', () => {
  it('stores one pending record under the canonical address', async () => {
    const { request, store } = setup();

    await request('  USER@Agency.GOV ');

    expect(store.all().map((account) => [account.email, account.status])).toEqual([['user@agency.gov', 'pending']]);
  });

  it('sends one email, to exactly the canonical address', async () => {
    const { request, notifier } = setup();

    await request('  USER@Agency.GOV ');

    expect(notifier.sent.map((email) => email.to)).toEqual(['user@agency.gov']);
  });

  it('links to BASE_URL/verify?token=T where only sha256(T) is stored', async () => {
    const { request, notifier, store } = setup();

    await request('user@agency.gov');

    const token = tokenOf(notifier.last());
    expect(store.peek('user@agency.gov')?.verifyLinks?.map((link) => link.hash)).toEqual([sha256(token)]);
  });

  it('keeps the raw token out of the stored record', async () => {
    const { request, notifier, store } = setup();

    await request('user@agency.gov');

    const token = tokenOf(notifier.last());
    expect(JSON.stringify(store.all())).not.toContain(token);
  });

  it('issues a token of a link id and a 256-bit secret in base64url, different every time', async () => {
    const { request, notifier } = setup();

    await request('one@agency.gov');
    await request('two@agency.gov');

    const tokens = notifier.sent.map(tokenOf);
    expect(tokens.every((token) => /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/.test(token))).toBe(true);
    expect(new Set(tokens).size).toBe(2);
  });

  it('tells the recipient when the link expires', async () => {
    const { request, notifier } = setup();

    await request('user@agency.gov');

    expect(new Date((notifier.last().link?.expiresAt ?? 0) * 1000).toISOString()).toBe('2030-01-16T12:00:00.000Z');
  });

  it('keeps the given name on the record, but puts no requester-written text in the email', async () => {
    const { request, notifier, store } = setup();

    await request('user@agency.gov', { name: 'Jane Doe' });

    expect(store.peek('user@agency.gov')?.name).toBe('Jane Doe');
    expect(JSON.stringify(notifier.last().email)).not.toContain('Jane');
  });

  it('never writes the raw token or the full address to the log', async () => {
    const { request, notifier, log } = setup();

    await request('user@agency.gov');

    const token = tokenOf(notifier.last());
    expect(log.entries.length).toBeGreaterThan(0);
    expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain('user@agency.gov');
  });

  it('makes one record and sends one email for a double-submitted form', async () => {
    const { request, store, notifier } = setup();

    await Promise.all([request('user@agency.gov'), request('user@agency.gov')]);

    expect([store.size, notifier.sent.length]).toEqual([1, 1]);
  });
});

describe('signUp: resends', () => {
  it('sends nothing within the 60 s cooldown and keeps the old link', async () => {
    const { request, notifier, store, clock } = setup();
    await request('user@agency.gov');
    const before = store.peek('user@agency.gov');

    clock.advanceSeconds(59);
    await request('user@agency.gov');

    expect(notifier.sent).toHaveLength(1);
    expect(store.peek('user@agency.gov')).toEqual(before);
  });

  it('after the cooldown, sends a new link and the older one keeps working (a stranger’s resend cancels nothing)', async () => {
    const { request, notifier, clock, confirm } = setup();
    await request('user@agency.gov');
    clock.advanceSeconds(60);
    await request('user@agency.gov');
    const [first] = notifier.sent.map(tokenOf);

    await expect(confirm(first!)).resolves.toEqual({ status: 'active', email: 'user@agency.gov' });
  });

  it('keeps the three newest links working: the fourth request’s link retires the first', async () => {
    const { request, notifier, clock, confirm } = setup();
    for (let i = 0; i < 4; i++) {
      await request('user@agency.gov');
      clock.advanceSeconds(60);
    }
    const [first, second] = notifier.sent.map(tokenOf);

    await expect(confirm(first!)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(confirm(second!)).resolves.toEqual({ status: 'active', email: 'user@agency.gov' });
  });

  it('sends an active account an already_active notice and no link', async () => {
    const { request, notifier, clock, confirm } = setup({ signInUrl: 'https://sandbox.example.gov/app' });
    await request('user@agency.gov');
    await confirm(tokenOf(notifier.last()));

    clock.advanceSeconds(60);
    await request('USER@agency.gov');

    expect(notifier.sent).toHaveLength(2);
    expect(notifier.last()).toEqual({
      to: 'user@agency.gov',
      email: { type: 'already_active' },
      link: { url: 'https://sandbox.example.gov/app' },
    });
  });

  it('leaves an active account active when it sends the notice', async () => {
    const { request, notifier, clock, confirm, store } = setup();
    await request('user@agency.gov');
    await confirm(tokenOf(notifier.last()));

    clock.advanceSeconds(60);
    await request('user@agency.gov');

    expect(store.peek('user@agency.gov')?.status).toBe('active');
  });

  it('sends at most 5 emails to one address in a UTC day, and the 5th link keeps working', async () => {
    const { request, notifier, clock, confirm } = setup();
    for (let i = 0; i < 6; i++) {
      await request('user@agency.gov');
      clock.advanceSeconds(61);
    }

    expect(notifier.sent).toHaveLength(5);
    await expect(confirm(tokenOf(notifier.last()))).resolves.toMatchObject({ status: 'active' });
  });

  it('sends again on the next UTC day once the daily cap was reached', async () => {
    const { request, notifier, clock } = setup();
    for (let i = 0; i < 6; i++) {
      await request('user@agency.gov');
      clock.advanceSeconds(61);
    }

    clock.set('2030-01-16T00:00:00.000Z');
    await request('user@agency.gov');

    expect(notifier.sent).toHaveLength(6);
  });

  it('sends nothing to accounts in other states', async () => {
    const store = new InMemoryAccountStore();
    const denied: Account = {
      email: 'user@agency.gov',
      kind: 'contractor',
      status: 'denied',
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
      history: [],
      version: 3,
    };
    store.seed(denied);
    const { request, notifier } = setup({ store });

    await request('user@agency.gov');

    expect(notifier.attempts).toHaveLength(0);
    expect(store.peek('user@agency.gov')).toEqual(denied);
  });
});

describe('signUp: failures', () => {
  it('does not throw when the email cannot be sent', async () => {
    const { request, notifier } = setup();
    notifier.failWith = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });

    await expect(request('user@agency.gov')).resolves.toBeUndefined();
  });

  it('masks the address that an SES error message quotes before logging it', async () => {
    const { request, notifier, log } = setup();
    notifier.failWith = Object.assign(
      new Error('Email address is not verified. The following identities failed the check in region US-EAST-1: user@agency.gov'),
      { name: 'MessageRejected' },
    );

    await request('user@agency.gov');

    expect(log.text()).toContain('u***@agency.gov');
    expect(log.text()).not.toContain('user@agency.gov');
  });

  it('leaves a consistent pending record whose hash matches the link it tried to send', async () => {
    const { request, notifier, store, log } = setup();
    notifier.failWith = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });

    await request('user@agency.gov');

    const attempted = notifier.attempts[0]!;
    expect(store.peek('user@agency.gov')).toMatchObject({
      status: 'pending',
      version: 1,
      verifyLinks: [{ hash: sha256(tokenOf(attempted)) }],
    });
    expect(log.at('error')).toHaveLength(1);
  });

  it('lets a resend after a failed email deliver a working link', async () => {
    const { request, notifier, clock, confirm } = setup();
    notifier.failWith = new Error('SES unavailable');
    await request('user@agency.gov');

    notifier.failWith = undefined;
    clock.advanceSeconds(60);
    await request('user@agency.gov');

    await expect(confirm(tokenOf(notifier.last()))).resolves.toMatchObject({ status: 'active' });
  });

  it('sends nothing when the conditional write is refused', async () => {
    class RefusingStore extends InMemoryAccountStore {
      override async put(): Promise<boolean> {
        this.calls.put++;
        return false;
      }
    }
    const store = new RefusingStore();
    const { request, notifier } = setup({ store });

    await request('user@agency.gov');

    expect(store.calls.put).toBe(1);
    expect(notifier.attempts).toHaveLength(0);
  });

  it('sends nothing, and keeps the winner’s link, when a concurrent request wrote first', async () => {
    const { request, notifier, store, clock } = setup();
    await request('user@agency.gov');
    clock.advanceSeconds(60);
    const stored = store.peek('user@agency.gov')!;
    const winner = { ...stored, verifyLinks: [{ hash: 'winner-hash', expiresAt: 4_000_000_000 }], version: stored.version + 1 };
    store.beforePut = () => {
      store.beforePut = undefined;
      store.seed(winner);
    };

    await request('user@agency.gov');

    expect(notifier.sent).toHaveLength(1);
    expect(store.peek('user@agency.gov')?.verifyLinks).toEqual([{ hash: 'winner-hash', expiresAt: 4_000_000_000 }]);
  });
});

describe('signUp: suppressed mailboxes', () => {
  it('sends nothing to any spelling of a suppressed mailbox, and leaves its record alone', async () => {
    const { request, notifier, store, suppressions } = setup();
    await suppressions.suppress('bounced@agency.gov', 'bounce');

    await request('Bounced+news@agency.gov');

    expect(notifier.attempts).toHaveLength(0);
    expect(store.calls.put).toBe(0);
  });

  it('shares one allowance between +tag spellings of one mailbox', async () => {
    const { request, notifier } = setup();

    await request('jane+1@agency.gov');
    await request('jane+2@agency.gov');

    expect(notifier.sent.map((sent) => sent.to)).toEqual(['jane+1@agency.gov']);
  });
});

describe('signUp: service-wide budgets (the sending reputation)', () => {
  it('past ANONYMOUS_EMAILS_PER_HOUR, answers as ever, sends nothing now, holds the email for the budget’s next window, and counts it', async () => {
    const { request, notifier, store, metrics } = setup({ budgets: { anonymousEmailsPerHour: 3 } });
    for (const name of ['a', 'b', 'c', 'd']) await expect(request(`${name}@agency.gov`)).resolves.toBeUndefined();

    expect(notifier.sent.map((sent) => sent.to)).toEqual(['a@agency.gov', 'b@agency.gov', 'c@agency.gov']);
    expect(store.peek('d@agency.gov')?.outbox).toEqual([
      expect.objectContaining({
        to: 'd@agency.gov',
        attempts: 0,
        nextAttemptAt: Date.parse('2030-01-15T13:00:00.000Z') / 1000,
        charges: [
          expect.objectContaining({ name: 'service' }),
          expect.objectContaining({ name: 'domain' }),
          expect.objectContaining({ name: 'client' }),
        ],
      }),
    ]);
    expect(metrics.get('EmailBudgetExhausted{budget=service}')).toBe(1);
  });

  it('past NEW_ADDRESS_EMAILS_PER_DOMAIN_PER_HOUR, a new address of that registrable domain gets nothing; other domains and known addresses still do', async () => {
    const { request, notifier, clock, metrics } = setup({ budgets: { newAddressEmailsPerDomainPerHour: 2 } });
    await request('one@x.agency.gov');
    await request('two@y.agency.gov');
    await request('three@agency.gov');
    await request('four@other.gov');
    clock.advanceSeconds(60);
    await request('one@x.agency.gov');

    expect(notifier.sent.map((sent) => sent.to)).toEqual(['one@x.agency.gov', 'two@y.agency.gov', 'four@other.gov', 'one@x.agency.gov']);
    expect(metrics.get('EmailBudgetExhausted{budget=domain}')).toBe(1);
  });
});

describe('signUp: a refusal costs no other allowance', () => {
  it('requests that one mailbox’s cooldown refuses do not spend the service’s budget', async () => {
    const { request, notifier, clock } = setup({ budgets: { anonymousEmailsPerHour: 2 } });
    await request('target@agency.gov');
    for (let i = 0; i < 5; i++) await request('target@agency.gov');
    await request('other@agency.gov');

    expect(notifier.sent.map((sent) => sent.to)).toEqual(['target@agency.gov', 'other@agency.gov']);
    clock.advanceSeconds(1);
    await request('third@agency.gov');
    expect(notifier.sent).toHaveLength(2);
  });

  it('an email a spent budget holds is superseded by a new request once the budget allows: one email, not two', async () => {
    const { request, notifier, clock } = setup({ budgets: { newAddressEmailsPerDomainPerHour: 1 } });
    await request('one@agency.gov');
    await request('two@agency.gov');
    expect(notifier.sent.map((sent) => sent.to)).toEqual(['one@agency.gov']);

    clock.advanceSeconds(3600);
    await request('two@agency.gov');
    expect(notifier.sent.map((sent) => sent.to)).toEqual(['one@agency.gov', 'two@agency.gov']);
  });
});

describe('signUp: the reputation breaker', () => {
  it('while open: answers as ever, sends nothing, writes nothing, and counts the held email', async () => {
    const { request, notifier, store, breaker, metrics } = setup();
    await breaker.open('SesBounceRate');

    await expect(request('held@agency.gov')).resolves.toBeUndefined();

    expect(notifier.attempts).toHaveLength(0);
    expect(store.calls.put).toBe(0);
    expect(metrics.get('EmailsHeldByBreaker')).toBe(1);
  });
});
