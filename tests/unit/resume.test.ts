import { describe, expect, it } from 'vitest';
import type { Account, AccountKind, SuspendReason } from '../../functions/core/account';
import { hashLinkToken, linkIdOf, newLinkToken } from '../../functions/core/link-token';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { type ConfirmDeps, confirmVerification } from '../../functions/use-cases/verify-email';
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
const NOW_MS = Date.parse(START);
const PERIOD_END = '2030-06-01T00:00:00.000Z';

function suspended(email: string, kind: AccountKind, reason: SuspendReason): Account {
  return {
    email,
    kind,
    status: 'suspended',
    suspendedFor: reason,
    suspendedAt: '2030-01-10T00:00:00.000Z',
    activatedAt: '2029-12-01T00:00:00.000Z',
    createdAt: '2029-12-01T00:00:00.000Z',
    updatedAt: '2030-01-10T00:00:00.000Z',
    linkId: 'old-link-id-0000000000',
    ...(kind === 'contractor'
      ? {
          sponsoredBy: 'pat@agency.gov',
          accessExpiresAt: PERIOD_END,
          request: { id: 'r-1', company: 'Acme', sponsorEmail: 'pat@agency.gov', justification: 'Work.', requestedAt: START },
          requestId: 'r-1',
        }
      : {}),
    history: [],
    version: 7,
  };
}

/** The plan a new sign-up (or a contractor's request) makes for the account, with a fresh link. */
function ask(account: Account) {
  const token = newLinkToken(account.linkId ?? linkIdOf(newLinkToken())!);
  const plan = planSignUp(
    account,
    {
      email: account.email,
      linkId: account.linkId!,
      tokenHash: hashLinkToken(token),
      verifyTtlSeconds: 86_400,
      ...(account.kind === 'contractor' ? { sponsorship: { ...account.request!, sponsorEmail: 'someone.else@agency.gov' } } : {}),
    },
    { nowMs: NOW_MS },
  );
  return { plan, token };
}

function world(account: Account) {
  const store = new InMemoryAccountStore([account]);
  const notifier = new RecordingNotifier();
  const metrics = new RecordingMetrics();
  const deps: ConfirmDeps = {
    ...DELIVERY,
    events: true,
    store,
    clock: new ManualClock(START),
    log: new RecordingLog(),
    metrics,
    notifier,
    approvals: new FakeApprovalTokens(),
    limiter: new InMemoryRateLimiter(),
    sponsorRequestsPerDay: 10,
    sponsors: new InMemorySponsorDirectory(),
  };
  const { plan, token } = ask(account);
  if (plan.action !== 'send_link') throw new Error(`expected a link, got ${plan.action}`);
  store.seed(plan.next);
  const confirm = (action?: 'cancel') =>
    confirmVerification({ token, clientIp: '198.51.100.7', baseUrl: 'https://sandbox.example.gov', ...(action ? { action } : {}) }, deps);
  return { store, notifier, metrics, confirm };
}

describe('a suspension for a mailbox that bounced, lifted by confirming the address again', () => {
  it('gives a link and changes nothing else until it is used; a suspension for a domain that left gives none', () => {
    const { plan } = ask(suspended('jane@agency.gov', 'agency', 'mailbox_undeliverable'));
    expect(plan.action === 'send_link' && [plan.next.status, plan.next.suspendedFor, plan.next.verifyLinks?.length]).toEqual([
      'suspended',
      'mailbox_undeliverable',
      1,
    ]);
    expect(ask(suspended('jane@leaving.gov', 'agency', 'domain_deregistered')).plan).toEqual({ action: 'nothing', reason: 'state' });
  });

  it('resumes an agency account: active again, the sandbox told, the suspension cleared', async () => {
    const { store, confirm } = world(suspended('jane@agency.gov', 'agency', 'mailbox_undeliverable'));
    expect(await confirm()).toEqual({ status: 'active', email: 'jane@agency.gov' });
    const jane = store.peek('jane@agency.gov')!;
    expect([jane.suspendedFor, jane.suspendedAt, jane.history.at(-1)?.event]).toEqual([undefined, undefined, 'email_verified']);
    expect(jane.outbox?.map((delivery) => delivery.channel === 'webhook' && delivery.event.type)).toEqual(['access.granted']);
  });

  it('resumes a contractor as they were: the same sponsor and period, no new review asked of anyone', async () => {
    const { store, notifier, confirm } = world(suspended('casey@acme.example', 'contractor', 'mailbox_undeliverable'));
    expect(await confirm()).toEqual({ status: 'active', email: 'casey@acme.example' });
    expect(store.peek('casey@acme.example')).toMatchObject({ sponsoredBy: 'pat@agency.gov', accessExpiresAt: PERIOD_END });
    expect(notifier.sent).toEqual([]);
  });

  it('"This is not my request" withdraws the links and leaves the account suspended', async () => {
    const { store, confirm } = world(suspended('jane@agency.gov', 'agency', 'mailbox_undeliverable'));
    expect(await confirm('cancel')).toEqual({ status: 'cancelled', email: 'jane@agency.gov' });
    expect(store.peek('jane@agency.gov')).toMatchObject({ status: 'suspended', verifyLinks: [] });
  });
});
