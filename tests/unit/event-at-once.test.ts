import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { type AccessEvent, eventLater, pending } from '../../functions/core/outbox';
import type { WebhookSender } from '../../functions/core/ports';
import { deliverDue } from '../../functions/use-cases/deliver';
import { EVENTS_AT_ONCE } from '../../functions/use-cases/event-at-once';
import { type ManageDeps, manageSponsored } from '../../functions/use-cases/manage-contractors';
import {
  BUDGETS,
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryRateLimiter,
  InMemorySponsorDirectory,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  sponsorSession,
} from '../support/fakes';

const START = Date.parse('2030-01-15T12:00:00.000Z');
const DAY_MS = 86_400_000;
const SPONSOR = 'pat.sponsor@agency.gov';
const iso = (ms: number) => new Date(ms).toISOString();

function contractor(email: string, extra: Partial<Account> = {}): Account {
  const id = `req-${email.split('@')[0]}`;
  return {
    email,
    kind: 'contractor',
    status: 'active',
    createdAt: iso(START - 10 * DAY_MS),
    updatedAt: iso(START - 10 * DAY_MS),
    activatedAt: iso(START - 10 * DAY_MS),
    requestId: id,
    request: { id, company: 'Acme', sponsorEmail: SPONSOR, justification: 'Work.', requestedAt: iso(START - 11 * DAY_MS) },
    sponsoredBy: SPONSOR,
    approvedAt: iso(START - 10 * DAY_MS),
    accessExpiresAt: iso(START + 30 * DAY_MS),
    history: [],
    version: 4,
    ...extra,
  };
}

/** A receiver that records what reached it, and answers when told to (`hold`) or at once. */
class Receiver implements WebhookSender {
  readonly received: { id: string; event: AccessEvent }[] = [];
  private held: (() => void)[] = [];
  hold = false;
  answer: 'delivered' | 'transient' = 'delivered';

  async send(id: string, event: AccessEvent) {
    this.received.push({ id, event });
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    return { outcome: this.answer };
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

async function world(accounts: Account[]) {
  const clock = new ManualClock(START);
  const store = new InMemoryAccountStore(accounts);
  const sponsors = new InMemorySponsorDirectory();
  for (const account of accounts) await sponsors.addRequest(SPONSOR, account.requestId!, account.email);
  const webhooks = new Receiver();
  const deps: ManageDeps = {
    ...DELIVERY,
    events: true,
    webhooks,
    store,
    sponsors,
    notifier: new RecordingNotifier(),
    clock,
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
  };
  const end = (account: Account) =>
    manageSponsored(
      {
        session: sponsorSession(SPONSOR),
        requestId: account.requestId!,
        action: 'end',
        clientIp: '192.0.2.1',
        baseUrl: 'https://gk.example.gov',
      },
      deps,
    );
  return { store, webhooks, deps, end, clock };
}

describe('the sandbox told by the change itself', () => {
  it('an End sends access.revoked before it answers, and clears it from the outbox', async () => {
    const casey = contractor('casey@acme.com');
    const { store, webhooks, end } = await world([casey]);
    await end(casey);
    expect(webhooks.received.map(({ event }) => [event.type, event.data.email])).toEqual([['access.revoked', 'casey@acme.com']]);
    const stored = (await store.get('casey@acme.com'))!;
    expect(pending(stored).filter((delivery) => delivery.channel === 'webhook')).toEqual([]);
    expect(stored.eventsDeliveredThrough).toBe(webhooks.received[0]!.event.data.sequence);
  });

  it('does not overtake an earlier event still waiting: both are left to the sweep, which sends them in order', async () => {
    const earlier = eventLater(
      'msg_earlier',
      {
        type: 'access.renewed',
        timestamp: iso(START - DAY_MS),
        data: {
          email: 'dana@acme.com',
          kind: 'contractor',
          status: 'active',
          accessExpiresAt: iso(START + 30 * DAY_MS),
          sponsor: SPONSOR,
          by: 'sponsor',
          agency: null,
          sequence: 4,
        },
      },
      START - DAY_MS,
    );
    const dana = contractor('dana@acme.com', { outbox: [earlier] });
    const { store, webhooks, deps, end, clock } = await world([dana]);
    await end(dana);
    expect(webhooks.received).toEqual([]);

    const sweepDeps = {
      ...deps,
      approvals: new FakeApprovalTokens(),
      breaker: new InMemoryBreaker(),
      limiter: new InMemoryRateLimiter(),
      budgets: BUDGETS,
      verifyTtlSeconds: 86_400,
      baseUrl: 'https://gk.example.gov',
    };
    for (let run = 0; run < 2; run += 1) {
      clock.advanceMs(1000);
      await deliverDue((await store.get('dana@acme.com'))!, false, sweepDeps);
    }
    expect(webhooks.received.map(({ event }) => event.type)).toEqual(['access.renewed', 'access.revoked']);
  });

  it('a receiver that fails leaves the event claimed for the sweep, which retries it after the lease', async () => {
    const erin = contractor('erin@acme.com');
    const { store, webhooks, end } = await world([erin]);
    webhooks.answer = 'transient';
    await end(erin);
    const [left] = pending((await store.get('erin@acme.com'))!).filter((delivery) => delivery.channel === 'webhook');
    expect([left?.attempts, left && left.nextAttemptAt > START / 1000]).toEqual([1, true]);
  });

  it(`holds at most ${EVENTS_AT_ONCE} events in flight: the next change leaves its event to the sweep and answers`, async () => {
    const accounts = Array.from({ length: EVENTS_AT_ONCE + 1 }, (_, i) => contractor(`c${i}@acme.com`));
    const { store, webhooks, end } = await world(accounts);
    webhooks.hold = true;
    const held = accounts.slice(0, EVENTS_AT_ONCE).map((account) => end(account));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await end(accounts.at(-1)!);
    const last = pending((await store.get(accounts.at(-1)!.email))!).find((delivery) => delivery.channel === 'webhook');
    expect([webhooks.received.length, last?.attempts]).toEqual([EVENTS_AT_ONCE, 0]);
    webhooks.release();
    await Promise.all(held);
  });
});
