import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { recordFeedback } from '../../functions/use-cases/record-feedback';
import {
  DELIVERY,
  InMemoryAccountStore,
  InMemorySponsorDirectory,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
} from '../support/fakes';

const NOW = '2030-03-01T12:00:00.000Z';
const SPONSOR = 'pat@agency.gov';
const END = '2030-09-01T00:00:00.000Z';

const contractor = (email: string, status: AccountStatus, sponsor = SPONSOR): Account => ({
  email,
  kind: 'contractor',
  status,
  name: 'Casey',
  requestId: `r-${email}`,
  request: { id: `r-${email}`, company: 'Acme', sponsorEmail: sponsor, justification: 'Work.', requestedAt: NOW },
  ...(status === 'active' ? { sponsoredBy: sponsor, accessExpiresAt: END } : {}),
  createdAt: NOW,
  updatedAt: NOW,
  history: [],
  version: 2,
});

async function world(accounts: Account[]) {
  const store = new InMemoryAccountStore(accounts);
  const sponsors = new InMemorySponsorDirectory();
  for (const account of accounts) await sponsors.addRequest(account.request!.sponsorEmail, account.requestId!, account.email);
  const metrics = new RecordingMetrics();
  const log = new RecordingLog();
  const deps = {
    ...DELIVERY,
    suppressions: new InMemorySuppressionList(),
    bounceSuppressionDays: 90,
    store,
    sponsors,
    clock: new ManualClock(NOW),
    log,
    metrics,
  };
  const bounce = () =>
    recordFeedback(
      JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: SPONSOR }] } }),
      deps,
    );
  return { store, metrics, log, bounce };
}

const noticesOf = (account: Account | undefined) =>
  (account?.outbox ?? []).flatMap((delivery) => (delivery.channel === 'email' ? [[delivery.to, delivery.email, delivery.attempts]] : []));

describe('a sponsor’s mailbox that bounces', () => {
  it('leaves their contractors’ access as it is and tells each active one once, for the sweep to send; the operator is told', async () => {
    const { store, metrics, log, bounce } = await world([
      contractor('casey@acme.example', 'active'),
      contractor('robin@acme.example', 'awaiting_sponsor'),
      contractor('eli@acme.example', 'revoked'),
      contractor('other@acme.example', 'active', 'sam@agency.gov'),
    ]);

    await bounce();
    await bounce();

    const casey = store.peek('casey@acme.example');
    expect(casey).toMatchObject({ status: 'active', accessExpiresAt: END, sponsorUnreachableAt: NOW });
    expect(noticesOf(casey)).toEqual([
      ['casey@acme.example', { type: 'sponsor_unreachable', sponsorEmail: SPONSOR, accessExpiresAt: END, name: 'Casey' }, 0],
    ]);
    expect(casey?.dueAt).toBe(Date.parse(NOW) / 1000);
    for (const untouched of ['robin@acme.example', 'eli@acme.example', 'other@acme.example'])
      expect(noticesOf(store.peek(untouched)), untouched).toEqual([]);
    expect(metrics.get('SponsorMailboxesGone')).toBe(1);
    expect(log.text()).toContain('a sponsor’s mailbox bounced');
    expect(log.text()).not.toContain(SPONSOR);
  });
});
