import { describe, expect, it } from 'vitest';
import { JoseSessionTokens } from '../../functions/adapters/jose-session-tokens';
import { cachedKeys, newKeySetJson } from '../../functions/adapters/signing-keys';
import type { EligibilityPolicy } from '../../functions/core/address';
import { type AppError, InvalidCodeError, RateLimitedError, SponsorNotEligibleError } from '../../functions/core/errors';
import { LOCK_SECONDS } from '../../functions/core/sign-in-code';
import { statusOf } from '../../functions/http/respond';
import { requestSignInCode, verifySignInCode } from '../../functions/use-cases/sign-in-code';
import {
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
} from '../support/fakes';

const START = '2030-01-15T12:00:00.000Z';
const NO_EXTRAS: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: [] };
const SPONSOR = 'sam.sponsor@agency.gov';
const NOBODY = 'nora.nobody@agency.gov';
const SESSION_TTL = 3600;

function setup() {
  const clock = new ManualClock(START);
  const sponsors = new InMemorySponsorDirectory();
  const notifier = new RecordingNotifier();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const breaker = new InMemoryBreaker();
  const suppressions = new InMemorySuppressionList();
  const sessions = new JoseSessionTokens(
    cachedKeys(async () => newKeySetJson(), 'test'),
    SESSION_TTL,
  );
  const deps = {
    sponsors,
    mailer: notifier,
    breaker,
    suppressions,
    sessions,
    policy: NO_EXTRAS,
    deniedSponsorMailboxes: ['info', 'noreply', 'no-reply', 'admin'],
    registry: new InMemoryDomainRegistry()
      .list({ domain: '29palms.gov', type: 'City', organization: 'City of Twentynine Palms' })
      .unlist('made-up.gov'),
    sponsorGovDomainTypes: ['Federal - Executive'],
    clock,
    log,
    metrics,
    allowances: new InMemoryMailboxAllowances(),
    limiter: new InMemoryRateLimiter(),
    budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
    emailLimits: { cooldownSeconds: 60, perDay: 20 },
  };
  /** Asks for a code for `email`; the code emailed, if one was. */
  const ask = async (email: string): Promise<string | undefined> => {
    const before = notifier.sent.length;
    await requestSignInCode({ email, clientIp: '198.51.100.7' }, deps);
    const sent = notifier.sent.slice(before);
    if (sent.length > 1) throw new Error('more than one email for one request');
    const [one] = sent;
    return one?.email.type === 'sign_in_code' ? one.email.code : undefined;
  };
  const verify = (email: string, code: string) => verifySignInCode({ email, code }, deps);
  /** A six-digit code that is not `code`. */
  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');
  return { clock, sponsors, notifier, log, metrics, breaker, suppressions, sessions, deps, ask, verify, wrong };
}

const answerOf = (error: unknown) => [statusOf(error as AppError), (error as AppError).code];

describe('requestSignInCode', () => {
  it('emails a code to any eligible address, sponsor or not, and answers alike: nothing is revealed', async () => {
    const { sponsors, notifier, ask, deps } = setup();
    await sponsors.addRequest(SPONSOR, 'req-1', 'casey@acme.com');

    const outcomes = [
      await requestSignInCode({ email: SPONSOR, clientIp: '198.51.100.7' }, deps).then(
        (value) => ['resolved', value],
        (error: AppError) => ['rejected', error.code],
      ),
      await requestSignInCode({ email: NOBODY, clientIp: '198.51.100.7' }, deps).then(
        (value) => ['resolved', value],
        (error: AppError) => ['rejected', error.code],
      ),
    ];

    expect(outcomes).toEqual([
      ['resolved', undefined],
      ['resolved', undefined],
    ]);
    expect(notifier.sent.map((sent) => [sent.to, sent.email.type, sent.link])).toEqual([
      [SPONSOR, 'sign_in_code', undefined],
      [NOBODY, 'sign_in_code', undefined],
    ]);
    for (const sent of notifier.sent)
      expect(sent.email).toEqual({ type: 'sign_in_code', code: expect.stringMatching(/^\d{6}$/), minutes: 10 });
    expect(await ask('someone.else@agency.gov')).toMatch(/^\d{6}$/);
  });

  it('stores only the code’s hash, under the mailbox (no +tag)', async () => {
    const { sponsors, ask } = setup();
    const code = await ask('Sam.Sponsor+dashboard@Agency.gov');
    const record = await sponsors.get(SPONSOR);
    expect(record).toMatchObject({ mailbox: SPONSOR, codeHash: expect.any(String), wrongCodes: 0 });
    expect(JSON.stringify(record)).not.toContain(code);
  });

  it.each(['sam@contractor.com', 'sam@agency.gov.evil.com', 'sam@agency.gov.uk'])(
    'refuses an address that could sponsor no one (%s) with 422 sponsor_not_eligible, sending nothing',
    async (email) => {
      const { ask, notifier, sponsors } = setup();
      const error = await rejection(ask(email));
      expect(error).toBeInstanceOf(SponsorNotEligibleError);
      expect(answerOf(error)).toEqual([422, 'sponsor_not_eligible']);
      expect([notifier.attempts, await sponsors.get('sam@contractor.com')]).toEqual([[], undefined]);
    },
  );

  it.each([
    ['made-up.gov', 'is not in the official .gov registry'],
    ['29palms.gov', 'city .gov domains cannot sponsor'],
  ])(
    'refuses an address at %s, a domain the registry does not list or whose type may not sponsor, sending nothing',
    async (domain, says) => {
      const { ask, notifier, sponsors } = setup();
      const error = await rejection(ask(`sam@it.${domain}`));
      expect([...answerOf(error), (error as Error).message]).toEqual([422, 'sponsor_not_eligible', expect.stringContaining(says)]);
      expect([notifier.attempts, await sponsors.get(`sam@it.${domain}`)]).toEqual([[], undefined]);
    },
  );

  it.each(['info@agency.gov', 'NoReply@agency.gov', 'no-reply+x@agency.gov', 'admin@us.af.mil'])(
    'refuses a shared role mailbox (%s): sponsors are people',
    async (email) => {
      const { ask, notifier } = setup();
      expect(answerOf(await rejection(ask(email)))).toEqual([422, 'sponsor_not_eligible']);
      expect(notifier.attempts).toEqual([]);
    },
  );

  it('refuses an address that is not one with 400 invalid_email', async () => {
    const { ask, notifier } = setup();
    expect(answerOf(await rejection(ask('sam@@agency.gov')))).toEqual([400, 'invalid_email']);
    expect(notifier.attempts).toEqual([]);
  });

  it('refuses a government look-alike as the browser spells it (xn--) with 422 lookalike_domain, sending nothing', async () => {
    const { ask, notifier } = setup();
    expect(answerOf(await rejection(ask('sam@xn--agenc-ize.gov')))).toEqual([422, 'lookalike_domain']);
    expect(notifier.attempts).toEqual([]);
  });

  it('sends nothing to a locked mailbox, and leaves its lock as it is', async () => {
    const { ask, verify, wrong, notifier, sponsors, clock, log, deps } = setup();
    const code = (await ask(SPONSOR))!;
    for (let i = 0; i < 5; i++) await rejection(verify(SPONSOR, wrong(code)));
    const locked = await sponsors.get(SPONSOR);
    expect(locked?.lockedUntil).toBeDefined();
    const sent = notifier.attempts.length;

    clock.advanceSeconds(120);
    await expect(requestSignInCode({ email: SPONSOR, clientIp: '198.51.100.7' }, deps)).resolves.toBeUndefined();
    expect(await ask(SPONSOR)).toBeUndefined();

    expect(notifier.attempts).toHaveLength(sent);
    expect(await sponsors.get(SPONSOR)).toEqual(locked);
    expect(log.at('warn').some((entry) => entry.message.includes('locked'))).toBe(true);
  });

  it('sends again once the lock has run out', async () => {
    const { ask, verify, wrong, clock } = setup();
    const code = (await ask(SPONSOR))!;
    for (let i = 0; i < 5; i++) await rejection(verify(SPONSOR, wrong(code)));
    clock.advanceSeconds(LOCK_SECONDS);
    const fresh = await ask(SPONSOR);
    expect(fresh).toMatch(/^\d{6}$/);
    await expect(verify(SPONSOR, fresh!)).resolves.toMatchObject({ session: { mailbox: SPONSOR } });
  });

  it.each([
    ['the reputation breaker is open', (flow: ReturnType<typeof setup>) => flow.breaker.open('bounces')],
    ['the mailbox is suppressed', (flow: ReturnType<typeof setup>) => flow.suppressions.suppress(SPONSOR, 'complaint')],
  ])('sends nothing, and answers as if it had, when %s', async (_label, arrange) => {
    const flow = setup();
    await arrange(flow);
    await expect(flow.ask(SPONSOR)).resolves.toBeUndefined();
    expect(flow.notifier.attempts).toEqual([]);
  });

  it('keeps to the mailbox’s allowance: a second code within the cooldown is not sent, and the first still works', async () => {
    const { ask, verify, notifier } = setup();
    const first = (await ask(SPONSOR))!;
    expect(await ask(SPONSOR)).toBeUndefined();
    expect(notifier.sent).toHaveLength(1);
    await expect(verify(SPONSOR, first)).resolves.toMatchObject({ session: { mailbox: SPONSOR } });
  });
});

describe('verifySignInCode', () => {
  it('signs the mailbox in by the emailed code: a session token of method emailed_code', async () => {
    const { ask, verify, sessions, clock, metrics } = setup();
    const code = (await ask('Sam.Sponsor+x@agency.gov'))!;

    const { token, session } = await verify('sam.sponsor@AGENCY.gov', `${code.slice(0, 3)} ${code.slice(3)}`);

    expect(session).toMatchObject({ mailbox: SPONSOR, method: 'emailed_code', expiresAt: clock.nowMs() / 1000 + SESSION_TTL });
    expect(session.sub).toBeUndefined();
    await expect(sessions.check(token, clock.nowMs())).resolves.toEqual(session);
    expect(metrics.get('SignIns{method=emailed_code}')).toBe(1);
  });

  it('takes a code once', async () => {
    const { ask, verify } = setup();
    const code = (await ask(SPONSOR))!;
    await verify(SPONSOR, code);
    expect(answerOf(await rejection(verify(SPONSOR, code)))).toEqual([400, 'invalid_code']);
  });

  it('answers a wrong, an expired, a used and a never-sent code with the same 400 invalid_code', async () => {
    const { ask, verify, wrong, clock } = setup();
    const code = (await ask(SPONSOR))!;
    const wrongOne = await rejection(verify(SPONSOR, wrong(code)));
    await verify(SPONSOR, code);
    const used = await rejection(verify(SPONSOR, code));
    clock.advanceSeconds(61);
    const later = (await ask(SPONSOR))!;
    clock.advanceSeconds(600);
    const expired = await rejection(verify(SPONSOR, later));
    const neverSent = await rejection(verify(NOBODY, '123456'));

    const errors = [wrongOne, used, expired, neverSent];
    for (const error of errors) expect(error).toBeInstanceOf(InvalidCodeError);
    expect(errors.map(answerOf)).toEqual(Array(4).fill([400, 'invalid_code']));
    expect(new Set(errors.map((error) => (error as Error).message)).size).toBe(1);
  });

  it('refuses what is not six digits without counting it as a try', async () => {
    const { ask, verify, sponsors } = setup();
    const code = (await ask(SPONSOR))!;
    const before = await sponsors.get(SPONSOR);
    for (const typed of ['', '12345', '1234567', 'abcdef', `${code}0`]) {
      expect(answerOf(await rejection(verify(SPONSOR, typed)))).toEqual([400, 'invalid_code']);
    }
    expect(await sponsors.get(SPONSOR)).toEqual(before);
    await expect(verify(SPONSOR, code)).resolves.toBeDefined();
  });

  it('locks the mailbox at the fifth wrong code (429), and refuses the sixth try even with the right code', async () => {
    const { ask, verify, wrong, sponsors } = setup();
    const code = (await ask(SPONSOR))!;
    for (let i = 0; i < 4; i++) expect(answerOf(await rejection(verify(SPONSOR, wrong(code))))).toEqual([400, 'invalid_code']);

    const fifth = await rejection(verify(SPONSOR, wrong(code)));
    expect(fifth).toBeInstanceOf(RateLimitedError);
    expect([answerOf(fifth), (fifth as RateLimitedError).retryAfterSeconds]).toEqual([[429, 'rate_limited'], LOCK_SECONDS]);
    const locked = await sponsors.get(SPONSOR);

    const sixth = await rejection(verify(SPONSOR, code));
    expect(answerOf(sixth)).toEqual([429, 'rate_limited']);
    expect(await sponsors.get(SPONSOR), 'refused before any comparison: nothing written').toEqual(locked);
  });

  it('the right code after four wrong ones signs in, and the count starts again', async () => {
    const { ask, verify, wrong, sponsors, clock } = setup();
    const code = (await ask(SPONSOR))!;
    for (let i = 0; i < 4; i++) await rejection(verify(SPONSOR, wrong(code)));

    await expect(verify(SPONSOR, code)).resolves.toMatchObject({ session: { mailbox: SPONSOR } });
    expect((await sponsors.get(SPONSOR))?.wrongCodes).toBe(0);

    clock.advanceSeconds(61);
    const next = (await ask(SPONSOR))!;
    for (let i = 0; i < 4; i++) {
      expect(answerOf(await rejection(verify(SPONSOR, wrong(next)))), 'four more wrong codes do not lock').toEqual([400, 'invalid_code']);
    }
    await expect(verify(SPONSOR, next)).resolves.toMatchObject({ session: { mailbox: SPONSOR } });
  });

  it('a new code does not reset the wrong count: four wrong, a new code, one more wrong locks', async () => {
    const { ask, verify, wrong, clock } = setup();
    const code = (await ask(SPONSOR))!;
    for (let i = 0; i < 4; i++) await rejection(verify(SPONSOR, wrong(code)));
    clock.advanceSeconds(61);
    const next = (await ask(SPONSOR))!;
    expect(answerOf(await rejection(verify(SPONSOR, wrong(next))))).toEqual([429, 'rate_limited']);
  });

  it('one mailbox’s code signs in no other mailbox', async () => {
    const { ask, verify } = setup();
    const code = (await ask(SPONSOR))!;
    await ask(NOBODY);
    expect(answerOf(await rejection(verify(NOBODY, code)))).toEqual([400, 'invalid_code']);
  });
});
