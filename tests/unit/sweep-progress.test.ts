import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { nextDutyAt, scheduled } from '../../functions/core/lifecycle';
import { type AccessEvent, emailDue, eventLater } from '../../functions/core/outbox';
import type { WebhookSender } from '../../functions/core/ports';
import { type SweepDeps, sweep } from '../../functions/use-cases/sweep';
import { ITEM_BACKOFF_SECONDS } from '../../functions/use-cases/sweep-item';
import { InMemoryDomainRegistry } from '../support/fakes';
import { sweepWorld } from '../support/sweep-world';

/** The sweep makes progress whatever one dependency or one item does (in memory; tests/integration/sweep-faults.test.ts on the real table and handler). */
const START = Date.parse('2030-01-15T12:00:00.000Z');
const NOW = START / 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** An approved contractor, already reminded, whose access ended `agoSeconds` before START. */
function ended(email: string, agoSeconds: number): Account {
  const accessExpiresAt = iso(START - agoSeconds * 1000);
  const account: Account = {
    email,
    kind: 'contractor',
    status: 'active',
    createdAt: iso(START - 400 * 86_400_000),
    updatedAt: iso(START - 400 * 86_400_000),
    requestId: `req-${email}`,
    request: { id: `req-${email}`, company: 'Acme', sponsorEmail: 'pat.sponsor@agency.gov', justification: 'x', requestedAt: iso(START) },
    sponsoredBy: 'pat.sponsor@agency.gov',
    accessExpiresAt,
    remindedFor: accessExpiresAt,
    history: [],
    version: 3,
  };
  return { ...account, dueAt: nextDutyAt(account)! };
}

const endedMany = (prefix: string, count: number, agoSeconds = 60) =>
  Array.from({ length: count }, (_, i) => ended(`${prefix}${i}@acme-corp.com`, agoSeconds));

/** A sign-up whose link email is due (since an hour ago): what an open breaker holds back. */
function heldSignUp(i: number): Account {
  const email = `held${i}@agency.gov`;
  const account: Account = {
    email,
    kind: 'agency',
    status: 'pending',
    createdAt: iso(START - 3_600_000),
    updatedAt: iso(START - 3_600_000),
    history: [],
    version: 1,
    outbox: [emailDue(`m${i}`, email, { type: 'verify_link', contractor: false }, START - 3_600_000)],
  };
  return scheduled(account);
}

/** An account with an event pending since an hour ago (no receiver configured to take it). */
function eventPending(i: number): Account {
  const base = { ...ended(`revoked${i}@acme-corp.com`, 7200), status: 'revoked' as const };
  const event = { type: 'access.revoked', timestamp: iso(START), data: { email: base.email } } as unknown as AccessEvent;
  return scheduled({ ...base, outbox: [eventLater(`e${i}`, event, START - 3_600_000)] });
}

/** A receiver that answers nothing: each send fails when its timeout (scaled down here) runs out. */
class SilentWebhooks implements WebhookSender {
  sends = 0;
  constructor(private readonly timeoutMs: number) {}
  async send() {
    this.sends++;
    await new Promise((resolve) => setTimeout(resolve, this.timeoutMs));
    return { outcome: 'transient' as const, error: 'TimeoutError: The operation was aborted due to timeout' };
  }
}

/** A run's deadline `ms` from now, as Lambda's context counts it down. */
const countdown = (ms: number) => {
  const deadline = Date.now() + ms;
  return () => deadline - Date.now();
};

const statuses = (deps: SweepDeps, accounts: readonly Account[]) =>
  Promise.all(accounts.map(async (account) => (await deps.store.get(account.email))?.status));

describe('the sweep always makes progress', () => {
  it('with a receiver that never answers, 20 due expiries all complete within one run, and the run ends before its deadline', async () => {
    const due = endedMany('slow', 20);
    const { deps } = sweepWorld(due, START);
    const webhooks = new SilentWebhooks(250);
    const started = Date.now();
    const report = await sweep({ ...deps, webhooks, timeLeftMs: countdown(2500) });
    const took = Date.now() - started;
    console.info(`hung receiver: ${report.expired} of 20 expired in one run of ${took} ms (deadline 2500 ms)`);
    expect(report).toMatchObject({ examined: 20, expired: 20, failed: 0 });
    expect(await statuses(deps, due)).toEqual(Array(20).fill('expired'));
    expect(took).toBeLessThan(2500);
  });

  it('with the breaker open, expiries behind 500 held emails still happen, and the held ones wait past the blockage', async () => {
    const held = Array.from({ length: 500 }, (_, i) => heldSignUp(i));
    const due = endedMany('behind', 10);
    const { deps, notifier } = sweepWorld([...held, ...due], START);
    await deps.breaker.open('complaints', START);
    const first = await sweep(deps);
    const second = await sweep(deps);
    console.info(`breaker open: run 1 expired ${first.expired}, run 2 expired ${second.expired} (10 behind 500 held)`);
    expect(first.expired + second.expired).toBe(10);
    expect(await statuses(deps, due)).toEqual(Array(10).fill('expired'));
    expect(notifier.sent.filter((sent) => sent.email.type === 'verify_link')).toEqual([]);
    const waiting = await deps.store.get('held0@agency.gov');
    expect(waiting?.dueAt).toBeGreaterThan(NOW);
    expect(waiting?.outbox?.[0]).toMatchObject({ attempts: 0 });
    expect((await deps.store.findDue(NOW, 1000)).length).toBe(0);
  });

  it('events pending with no receiver configured do not hide the expiries behind them', async () => {
    const pending = Array.from({ length: 500 }, (_, i) => eventPending(i));
    const due = endedMany('after', 10);
    const { deps } = sweepWorld([...pending, ...due], START);
    const { webhooks: _none, ...withoutReceiver } = deps;
    const first = await sweep(withoutReceiver);
    const second = await sweep(withoutReceiver);
    expect(first.expired + second.expired).toBe(10);
    expect(await statuses(withoutReceiver, due)).toEqual(Array(10).fill('expired'));
    expect((await deps.store.get('revoked0@acme-corp.com'))?.dueAt).toBeGreaterThan(NOW);
  });

  it('one account whose writes are throttled does not stop the others; it is counted, logged and retried after a backoff', async () => {
    const throttled = ended('throttled@acme-corp.com', 3600);
    const others = endedMany('other', 10);
    const { deps, store, clock, metrics } = sweepWorld([throttled, ...others], START);
    let refusals = 1;
    store.beforePut = (next) => {
      if (next.email === throttled.email && refusals-- > 0)
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
    };
    const report = await sweep(deps);
    expect(report).toMatchObject({ expired: 10, failed: 1 });
    expect(metrics.get('SweepItemsFailed')).toBe(1);
    expect(await statuses(deps, others)).toEqual(Array(10).fill('expired'));
    expect(await deps.store.get(throttled.email)).toMatchObject({ status: 'active', dueAt: NOW + ITEM_BACKOFF_SECONDS });

    clock.advanceSeconds(ITEM_BACKOFF_SECONDS - 1);
    expect(await sweep(deps)).toMatchObject({ examined: 0 });
    clock.advanceSeconds(1);
    expect(await sweep(deps)).toMatchObject({ examined: 1, expired: 1 });
  });

  it('an account that stays throttled fails alone in every run: the others expire each time', async () => {
    const throttled = ended('always@acme-corp.com', 3600);
    const { deps, store } = sweepWorld([throttled, ...endedMany('first', 10)], START);
    store.beforePut = (next) => {
      if (next.email === throttled.email) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    };
    expect(await sweep(deps)).toMatchObject({ expired: 10, failed: 1 });
    for (const account of endedMany('second', 10)) await store.put(account, null);
    expect(await sweep(deps)).toMatchObject({ expired: 10, failed: 1 });
  });

  it('a throttled account on a domain that left the registry does not stop the others’ suspension, nor the expiries', async () => {
    const agency = (email: string): Account => ({
      email,
      kind: 'agency',
      status: 'active',
      registeredDomain: 'leaving.gov',
      createdAt: iso(START - 86_400_000),
      updatedAt: iso(START - 86_400_000),
      activatedAt: iso(START - 86_400_000),
      history: [],
      version: 2,
    });
    const registry = new InMemoryDomainRegistry().leave('leaving.gov', iso(START - 3_600_000));
    const due = endedMany('expiring', 5);
    const { deps, store } = sweepWorld([agency('ada@leaving.gov'), agency('bo@leaving.gov'), ...due], START, registry);
    store.beforePut = (next) => {
      if (next.email === 'ada@leaving.gov') throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    };
    expect(await sweep(deps)).toMatchObject({ suspended: 1, expired: 5 });
    expect([(await store.get('ada@leaving.gov'))?.status, (await store.get('bo@leaving.gov'))?.status]).toEqual(['active', 'suspended']);
    expect(registry.due(), 'the domain stays due for the account not yet suspended').toEqual(['leaving.gov']);
  });

  it('a breaker that cannot be read holds anonymous mail only: the expiries and their notices still go', async () => {
    const due = endedMany('unread', 3);
    const { deps, notifier } = sweepWorld([heldSignUp(0), ...due], START);
    const breaker = { isOpen: () => Promise.reject(new Error('throttled')), open: async () => false, close: async () => false };
    expect(await sweep({ ...deps, breaker })).toMatchObject({ expired: 3, failed: 0 });
    expect(notifier.sent.map((sent) => sent.email.type).sort()).toEqual(Array(3).fill('access_expired'));
  });

  it('2,000 due accounts drain in one run, page after page of the due index', async () => {
    const due = endedMany('backlog', 2000);
    const { deps, webhooks } = sweepWorld(due, START);
    const started = Date.now();
    const report = await sweep({ ...deps, timeLeftMs: countdown(60_000) });
    console.info(`2,000 due in memory: ${report.expired} expired in ${report.pages} pages, ${Date.now() - started} ms`);
    expect(report).toMatchObject({ examined: 2000, expired: 2000, backlog: 0 });
    expect(report.pages).toBeGreaterThan(1);
    expect(webhooks.events).toHaveLength(2000);
    expect((await deps.store.findDue(NOW, 10)).length).toBe(0);
  });

  it('a run that runs out of time reports its backlog, and the next run takes it', async () => {
    const due = endedMany('late', 30);
    const { deps, metrics } = sweepWorld(due, START);
    let checks = 0;
    const first = await sweep({ ...deps, timeLeftMs: () => (checks++ < 10 ? 60_000 : 0) });
    expect(first.expired).toBeLessThan(30);
    expect(first.backlog).toBeGreaterThan(0);
    expect(metrics.get('SweepBacklog')).toBe(first.backlog);
    const second = await sweep(deps);
    expect(first.expired + second.expired).toBe(30);
    expect(second.backlog).toBe(0);
  });
});
