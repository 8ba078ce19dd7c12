import { describe, expect, it } from 'vitest';
import { type SignUpDeps, signUp } from '../../functions/use-cases/sign-up';
import { sweep } from '../../functions/use-cases/sweep';
import {
  BUDGETS,
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryMailboxAllowances,
  InMemoryRateLimiter,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
} from '../support/fakes';

const NOW = '2030-01-15T12:10:00.000Z';
const FLOOD = '203.0.113.66';

/** The service with its default budgets: sign-ups from any client, and the sweep that sends what a budget held. */
function service() {
  const clock = new ManualClock(NOW);
  const store = new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const limiter = new InMemoryRateLimiter();
  const metrics = new RecordingMetrics();
  const shared = { ...DELIVERY, store, clock, limiter, metrics, budgets: BUDGETS, log: new RecordingLog(), breaker: new InMemoryBreaker() };
  const registry = new InMemoryDomainRegistry();
  const deps: SignUpDeps = {
    ...shared,
    registry,
    govDomainTypes: [],
    mailer: notifier,
    policy: { allowedDomainSuffixes: [], deniedDomains: [] },
    allowances: new InMemoryMailboxAllowances(),
    suppressions: new InMemorySuppressionList(),
    emailLimits: { cooldownSeconds: 60, perDay: 5 },
    verifyTtlSeconds: 86_400,
  };
  const request = (email: string, clientIp: string) => signUp({ email, clientIp, baseUrl: 'https://sandbox.example.gov' }, deps);
  const sweepNow = () =>
    sweep({
      ...shared,
      notifier,
      registry,
      approvals: new FakeApprovalTokens(),
      verifyTtlSeconds: 86_400,
      events: false,
      baseUrl: 'https://sandbox.example.gov',
    });
  const sentTo = () => notifier.sent.map((sent) => sent.to);
  return { clock, store, metrics, request, sweepNow, sentTo };
}

describe('one client network’s share of a domain’s new-address budget', () => {
  it('50 requests from one client do not stop an agency’s sign-ups: past its share of 5, its emails wait; others’ go at once', async () => {
    const { request, sentTo, metrics } = service();
    for (let i = 0; i < 50; i++) await request(`flood${i}@agency.gov`, FLOOD);
    expect(sentTo()).toHaveLength(5);
    expect(metrics.get('EmailBudgetExhausted{budget=client}')).toBe(45);

    await request('real.person@agency.gov', '198.51.100.23');
    await request('colleague@agency.gov', '2001:db8:1:2::7');
    expect(sentTo().slice(5)).toEqual(['real.person@agency.gov', 'colleague@agency.gov']);
  });

  it('delays, never drops: a held email goes by the sweep once its budgets have room, one hour’s share at a time', async () => {
    const { request, sweepNow, sentTo, clock, store } = service();
    for (let i = 0; i < 7; i++) await request(`p${i}@agency.gov`, FLOOD);
    expect(sentTo()).toHaveLength(5);

    await sweepNow();
    expect(sentTo(), 'not before the next window').toHaveLength(5);
    clock.advanceSeconds(50 * 60);
    await sweepNow();
    expect(sentTo().slice(5).sort()).toEqual(['p5@agency.gov', 'p6@agency.gov']);
    expect(store.peek('p6@agency.gov')?.outbox ?? [], 'sent and cleared').toEqual([]);
  });

  it('a held email whose budget is spent again waits for the next window, with no attempt counted', async () => {
    const { request, sweepNow, sentTo, clock, store } = service();
    for (let i = 0; i < 6; i++) await request(`p${i}@agency.gov`, FLOOD);
    clock.advanceSeconds(50 * 60);
    // The next window's share is spent by new requests before the sweep comes.
    for (let i = 10; i < 15; i++) await request(`p${i}@agency.gov`, FLOOD);
    await sweepNow();
    expect(sentTo()).not.toContain('p5@agency.gov');
    expect(store.peek('p5@agency.gov')?.outbox?.[0]).toMatchObject({
      attempts: 0,
      nextAttemptAt: Date.parse('2030-01-15T14:00:00.000Z') / 1000,
    });
  });
});
