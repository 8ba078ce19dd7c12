import type { Account } from '../../functions/core/account';
import type { AccessEvent } from '../../functions/core/outbox';
import type { WebhookSender } from '../../functions/core/ports';
import type { SweepDeps } from '../../functions/use-cases/sweep';
import {
  BUDGETS,
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryRateLimiter,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
} from './fakes';

/** The sandbox's receiver in memory: every event it is sent, acknowledged. */
export class RecordingWebhooks implements WebhookSender {
  readonly events: AccessEvent[] = [];
  async send(_id: string, event: AccessEvent) {
    this.events.push(event);
    return { outcome: 'delivered' as const };
  }
}

/** The sweep's ports in memory (events recorded and sent), at `start`; each part returned for the test to look at. */
export function sweepWorld(accounts: readonly Account[], start: number, registry = new InMemoryDomainRegistry()) {
  const clock = new ManualClock(start);
  const store = new InMemoryAccountStore(accounts);
  const notifier = new RecordingNotifier();
  const webhooks = new RecordingWebhooks();
  const metrics = new RecordingMetrics();
  const deps: SweepDeps = {
    ...DELIVERY,
    events: true,
    webhooks,
    registry,
    approvals: new FakeApprovalTokens(),
    breaker: new InMemoryBreaker(),
    limiter: new InMemoryRateLimiter(),
    budgets: BUDGETS,
    verifyTtlSeconds: 86_400,
    store,
    notifier,
    clock,
    log: new RecordingLog(),
    metrics,
    baseUrl: 'https://sandbox.example.gov',
  };
  return { deps, clock, store, registry, notifier, webhooks, metrics };
}
