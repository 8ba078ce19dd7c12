import { describe, expect, it } from 'vitest';
import { SuppressingNotifier } from '../../functions/adapters/ses-notifier';
import type { Account } from '../../functions/core/account';
import { EmailNotSentError } from '../../functions/core/ports';
import { type FeedbackDeps, readFeedback, recordFeedback } from '../../functions/use-cases/record-feedback';
import { reportSend } from '../../functions/use-cases/report-send';
import {
  DELIVERY,
  InMemoryAccountStore,
  InMemorySponsorDirectory,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
} from '../support/fakes';

describe('readFeedback', () => {
  it.each([
    [
      'a permanent bounce (event publishing)',
      { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'A@Agency.gov' }] } },
      { reason: 'bounce', addresses: ['a@agency.gov'] },
    ],
    [
      'a permanent bounce (identity notification)',
      { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'b@agency.gov' }] } },
      { reason: 'bounce', addresses: ['b@agency.gov'] },
    ],
    [
      'a complaint',
      { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'c@agency.gov' }, { emailAddress: 'd@agency.gov' }] } },
      { reason: 'complaint', addresses: ['c@agency.gov', 'd@agency.gov'] },
    ],
    [
      'a complaint naming a malformed address',
      { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'x@y@z.gov' }, { emailAddress: 42 }] } },
      { reason: 'complaint', addresses: [] },
    ],
  ])('%s', (_case, message, expected) => {
    expect(readFeedback(JSON.stringify(message))).toEqual(expected);
  });

  it.each([
    [
      'a transient bounce',
      { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@agency.gov' }] } },
    ],
    ['a delivery', { eventType: 'Delivery' }],
    ['null', null],
    ['a list', []],
  ])('ignores %s', (_case, message) => {
    expect(readFeedback(JSON.stringify(message))).toBeUndefined();
  });

  it('ignores text that is not JSON', () => {
    expect(readFeedback('<xml/>')).toBeUndefined();
  });
});

/** The feedback function's ports in memory, at a fixed time; `overrides` names what a test looks at. */
function feedbackDeps(overrides: Partial<FeedbackDeps> = {}): FeedbackDeps & { log: RecordingLog } {
  return {
    suppressions: new InMemorySuppressionList(),
    bounceSuppressionDays: 90,
    ...DELIVERY,
    store: new InMemoryAccountStore(),
    sponsors: new InMemorySponsorDirectory(),
    clock: new ManualClock('2030-01-15T12:00:00.000Z'),
    metrics: new RecordingMetrics(),
    ...overrides,
    log: new RecordingLog(),
  };
}

describe('recordFeedback', () => {
  it('suppresses once and counts only the first of duplicate deliveries', async () => {
    const suppressions = new InMemorySuppressionList();
    const metrics = new RecordingMetrics();
    const deps = feedbackDeps({ suppressions, metrics });
    const message = JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'c@agency.gov' }] } });
    await recordFeedback(message, deps);
    await recordFeedback(message, deps);
    expect([...suppressions.suppressed]).toEqual([['c@agency.gov', 'complaint']]);
    expect(metrics.get('AddressesSuppressed{reason=complaint}')).toBe(1);
    expect(deps.log.text()).not.toContain('c@agency.gov');
  });
});

describe('SuppressingNotifier', () => {
  it('sends to others and nothing to a suppressed address', async () => {
    const suppressions = new InMemorySuppressionList();
    await suppressions.suppress('gone@agency.gov', 'bounce');
    const inner = new RecordingNotifier();
    const notifier = new SuppressingNotifier(inner, suppressions, new ManualClock('2030-01-15T12:00:00.000Z'));
    expect(await notifier.send('gone@agency.gov', { type: 'already_active' })).toBe('suppressed');
    expect(await notifier.send('here@agency.gov', { type: 'already_active' })).toBe('sent');
    expect(inner.sent.map((email) => email.to)).toEqual(['here@agency.gov']);
  });

  it('a bounce suppresses for SUPPRESSION_DAYS, a complaint until an operator removes it', async () => {
    const suppressions = new InMemorySuppressionList();
    const clock = new ManualClock('2030-01-15T12:00:00.000Z');
    const deps = feedbackDeps({ suppressions, clock });
    await recordFeedback(
      JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'b@agency.gov' }] } }),
      deps,
    );
    await recordFeedback(
      JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'c@agency.gov' }] } }),
      deps,
    );

    expect(suppressions.until.get('b@agency.gov')).toBe(clock.nowMs() + 90 * 86_400_000);
    expect(suppressions.until.has('c@agency.gov')).toBe(false);
  });

  it('suppresses the mailbox: a bounce for one +tag spelling silences every spelling', async () => {
    const suppressions = new InMemorySuppressionList();
    const deps = feedbackDeps({ suppressions });
    await recordFeedback(
      JSON.stringify({
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Jane+News@agency.gov' }] },
      }),
      deps,
    );
    const notifier = new SuppressingNotifier(new RecordingNotifier(), suppressions, new ManualClock('2030-01-15T12:00:00.000Z'));

    expect([...suppressions.suppressed.keys()]).toEqual(['jane@agency.gov']);
    expect(await notifier.send('jane+other@agency.gov', { type: 'already_active' })).toBe('suppressed');
  });
});

describe('reportSend', () => {
  it.each([
    ['sent', async () => 'sent' as const, 'EmailsSent'],
    ['suppressed', async () => 'suppressed' as const, 'EmailsSuppressed'],
    [
      'a transient failure',
      async (): Promise<'sent'> => Promise.reject(new EmailNotSentError(false, 'Throttling: slow down')),
      'EmailsFailed',
    ],
    [
      'a permanent failure',
      async (): Promise<'sent'> => Promise.reject(new EmailNotSentError(true, 'MessageRejected: no')),
      'EmailsFailedPermanently',
    ],
    ['an unexpected error', async (): Promise<'sent'> => Promise.reject(new Error('socket hang up')), 'EmailsFailed'],
  ])('counts %s and never throws', async (_case, send, metric) => {
    const metrics = new RecordingMetrics();
    await expect(reportSend('a***@agency.gov', 'verify_link', { log: new RecordingLog(), metrics }, send)).resolves.toBeUndefined();
    expect([...metrics.counts]).toEqual([[metric, 1]]);
  });
});

describe('a permanent bounce from an account’s own mailbox', () => {
  const bounce = (address: string) =>
    JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] } });
  const active = (email: string): Account => ({
    email,
    kind: 'agency',
    status: 'active',
    activatedAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    history: [],
    version: 4,
  });

  it('suspends the active account once (mailbox_undeliverable, access.suspended recorded for the sweep), emailing nobody', async () => {
    const store = new InMemoryAccountStore([active('jane@agency.gov'), { ...active('sam@agency.gov'), status: 'revoked' }]);
    const metrics = new RecordingMetrics();
    const deps = feedbackDeps({ events: true, store, metrics });
    for (const address of ['jane@agency.gov', 'jane@agency.gov', 'sam@agency.gov', 'nobody@agency.gov'])
      await recordFeedback(bounce(address), deps);

    const jane = store.peek('jane@agency.gov')!;
    expect(jane).toMatchObject({ status: 'suspended', suspendedFor: 'mailbox_undeliverable', version: 5 });
    expect(jane.outbox?.map((delivery) => (delivery.channel === 'webhook' ? delivery.event.type : delivery.channel))).toEqual([
      'access.suspended',
    ]);
    expect(store.peek('sam@agency.gov')?.status).toBe('revoked');
    expect(metrics.get('AccountsSuspended')).toBe(1);
  });
});
