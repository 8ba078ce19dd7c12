import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { nextDutyAt } from '../../functions/core/lifecycle';
import {
  accessEvent,
  afterFailure,
  backoffSeconds,
  claimed,
  delivered,
  dueDeliveries,
  emailNow,
  eventLater,
  SEND_LEASE_SECONDS,
  superseded,
  superseding,
  withDeliveries,
  withoutDelivery,
} from '../../functions/core/outbox';

const POLICY = { retrySeconds: 60, maxAttempts: 4 };
const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const S = NOW / 1000;

const account: Account = {
  email: 'casey@acme-corp.com',
  kind: 'contractor',
  status: 'active',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  sponsoredBy: 'pat@agency.gov',
  accessExpiresAt: '2031-01-15T12:00:00.000Z',
  history: [],
  version: 4,
};

describe('delivery arithmetic', () => {
  it('backs off from the retry delay, doubling', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffSeconds(attempt, POLICY))).toEqual([60, 120, 240, 480]);
  });

  it('an email sent at once is attempt 1; the sweep may retry it only after the lease and the first backoff', () => {
    const short = emailNow('m1', 'a@agency.gov', { type: 'already_active' }, NOW, { retrySeconds: 1, maxAttempts: 3 });
    const long = emailNow('m2', 'a@agency.gov', { type: 'already_active' }, NOW, POLICY);
    expect([short.attempts, short.nextAttemptAt - S, long.nextAttemptAt - S]).toEqual([1, SEND_LEASE_SECONDS, 60]);
  });

  it('a claim counts the attempt and sets the next after the backoff; the last failure, or a permanent one, fails it for good', () => {
    const owed = withDeliveries(account, [emailNow('m1', 'a@agency.gov', { type: 'already_active' }, NOW, POLICY)]);
    const again = claimed(owed, 'm1', NOW + 60_000, POLICY);
    expect(again.outbox?.[0]).toMatchObject({ attempts: 2, nextAttemptAt: S + 60 + 120 });
    const delivery = again.outbox![0]!;
    expect(afterFailure(delivery, 'Throttling', false, POLICY).failed).toBeUndefined();
    expect(afterFailure(delivery, 'MessageRejected', true, POLICY).failed).toBe(true);
    expect(afterFailure({ ...delivery, attempts: 4 }, 'HTTP 500', false, POLICY)).toMatchObject({ failed: true, lastError: 'HTTP 500' });
  });

  it('offers one account’s webhook events one at a time, oldest first; emails as they fall due', () => {
    const first = eventLater('e1', accessEvent('access.granted', account, 'sponsor:pat@agency.gov', NOW), NOW);
    const second = eventLater('e2', accessEvent('access.renewed', account, 'sponsor:pat@agency.gov', NOW), NOW);
    const email = emailNow('m1', 'a@agency.gov', { type: 'already_active' }, NOW - 600_000, POLICY);
    const owed = withDeliveries(account, [first, second, email]);
    expect(dueDeliveries(owed, NOW).map((delivery) => delivery.id)).toEqual(['e1', 'm1']);
    expect(dueDeliveries(withoutDelivery(owed, 'e1'), NOW).map((delivery) => delivery.id)).toEqual(['e2', 'm1']);
  });

  it('a new link’s email supersedes one still pending to the same address; failed ones and events stay', () => {
    const held = emailNow('m1', 'a@agency.gov', { type: 'verify_link', contractor: false }, NOW, POLICY);
    const failed = { ...emailNow('m0', 'a@agency.gov', { type: 'verify_link', contractor: false }, NOW, POLICY), failed: true as const };
    const event = eventLater('e1', accessEvent('access.granted', account, 'self', NOW), NOW);
    const next = superseding(
      withDeliveries(account, [failed, held, event]),
      emailNow('m2', 'a@agency.gov', { type: 'verify_link', contractor: false }, NOW, POLICY),
    );
    expect(next.outbox?.map((delivery) => delivery.id)).toEqual(['m0', 'e1', 'm2']);
  });

  it('makes the account due at its earliest pending delivery, and not for failed ones', () => {
    const owed = withDeliveries({ ...account, status: 'revoked' }, [
      eventLater('e1', accessEvent('access.revoked', account, 'x', NOW), NOW + 5000),
    ]);
    expect(nextDutyAt(owed)).toBe(S + 5);
    expect(nextDutyAt({ ...owed, outbox: [{ ...owed.outbox![0]!, failed: true }] })).toBeUndefined();
  });

  it('builds the event body docs/design.md §7 gives', () => {
    const agency = {
      organization: 'General Services Administration',
      suborganization: 'Office of GSA IT',
      domainType: 'Federal - Executive',
    };
    expect(accessEvent('access.expired', { ...account, status: 'expired', agency }, 'system', NOW)).toEqual({
      type: 'access.expired',
      timestamp: '2030-01-15T12:00:00.000Z',
      data: {
        email: 'casey@acme-corp.com',
        kind: 'contractor',
        status: 'expired',
        accessExpiresAt: '2031-01-15T12:00:00.000Z',
        sponsor: 'pat@agency.gov',
        by: 'system',
        agency,
        sequence: 4,
      },
    });
    expect(accessEvent('access.granted', { ...account, kind: 'agency' }, 'self', NOW).data.agency).toBeNull();
    expect(
      accessEvent('access.granted', { ...account, kind: 'agency', sponsoredBy: undefined as never }, 'self', NOW).data.sponsor,
    ).toBeNull();
  });

  it('never offers an event older than one the sandbox acknowledged: the newest delivered sequence is remembered', () => {
    const granted = eventLater('e-granted', accessEvent('access.granted', { ...account, version: 5 }, 'self', NOW), NOW);
    const revoked = eventLater('e-revoked', accessEvent('access.revoked', { ...account, version: 6 }, 'operator:alice', NOW), NOW);
    const afterRevoked = delivered(withDeliveries(account, [revoked]), 'e-revoked');
    expect(afterRevoked.eventsDeliveredThrough).toBe(6);
    expect([superseded(afterRevoked, granted), superseded(afterRevoked, revoked)]).toEqual([true, true]);
    const later = eventLater('e-later', accessEvent('access.granted', { ...account, version: 9 }, 'operator:alice', NOW), NOW);
    expect(superseded(afterRevoked, later)).toBe(false);
    expect(delivered(withDeliveries(afterRevoked, [granted]), 'e-granted').eventsDeliveredThrough, 'never moves back').toBe(6);
  });
});
