import { describe, expect, it } from 'vitest';
import type { Account, SponsorshipRequest } from '../../functions/core/account';
import { CHANGES } from '../../functions/core/changes';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { classifyApproval } from '../../functions/core/sponsorship';
import { transferConfirmed } from '../../functions/core/transfer';
import { DELIVERY } from '../support/fakes';

const NOW = Date.parse('2030-03-01T12:00:00.000Z');
const OLD: SponsorshipRequest = {
  id: 'r-old',
  company: 'Acme',
  sponsorEmail: 'sue@agency.gov',
  justification: 'Work.',
  requestedAt: '2030-01-01T00:00:00.000Z',
};
const NEW: SponsorshipRequest = { ...OLD, id: 'r-new', sponsorEmail: 'nia@agency.gov', requestedAt: '2030-03-01T12:00:00.000Z' };

const active = (overrides: Partial<Account> = {}): Account => ({
  email: 'cora@acme.example',
  kind: 'contractor',
  status: 'active',
  linkId: 'AbCdEfGhIjKlMnOpQrStUv',
  request: OLD,
  requestId: OLD.id,
  sponsoredBy: OLD.sponsorEmail,
  accessExpiresAt: '2030-09-01T00:00:00.000Z',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  history: [],
  version: 5,
  ...overrides,
});

const ask = (account: Account, sponsorship: SponsorshipRequest) =>
  planSignUp(account, { email: account.email, linkId: 'x', tokenHash: 'h', verifyTtlSeconds: 86_400, sponsorship }, { nowMs: NOW });

const pending = transferConfirmed(
  active({ sponsorUnreachableAt: '2030-02-01T00:00:00.000Z', transfer: NEW }),
  { jti: 'j', expiresAt: NOW / 1000 + 3600 },
  { nowMs: NOW },
);
const sponsor = { role: 'sponsor' as const, name: 'nia@agency.gov', via: { via: 'emailed_code' as const } };

describe('a request for another sponsor when the sponsor’s mailbox is gone', () => {
  it('is taken only then, and only for another sponsor: the access stands and the request waits for its owner', () => {
    expect(ask(active(), NEW)).toEqual({ action: 'send_notice' });
    expect(ask(active({ sponsorUnreachableAt: '2030-02-01T00:00:00.000Z' }), OLD)).toEqual({ action: 'send_notice' });
    const plan = ask(active({ sponsorUnreachableAt: '2030-02-01T00:00:00.000Z' }), NEW);
    expect(plan.action === 'send_link' && [plan.next.status, plan.next.transfer?.sponsorEmail, plan.next.request?.sponsorEmail]).toEqual([
      'active',
      'nia@agency.gov',
      'sue@agency.gov',
    ]);
    expect(ask(pending, { ...NEW, id: 'r-third', sponsorEmail: 'tom@agency.gov' }), 'not while one waits').toEqual({
      action: 'send_notice',
    });
  });

  it('confirmed, is decided by the new sponsor’s link while the access stands', () => {
    expect([pending.status, pending.request?.sponsorEmail, pending.requestId, pending.previousRequest?.id]).toEqual([
      'active',
      'nia@agency.gov',
      'r-new',
      'r-old',
    ]);
    expect(classifyApproval(pending, 'j', NOW).state).toBe('ready');
  });

  it('approved: the sponsorship moves with a new period, nothing of the transfer left', () => {
    const moved = CHANGES.sponsorApprove.apply(pending, { actor: sponsor }, { nowMs: NOW }, DELIVERY.lifecycle);
    expect(moved).toMatchObject({ status: 'active', sponsoredBy: 'nia@agency.gov', requestId: 'r-new' });
    expect([moved.transferPending, moved.previousRequest, moved.sponsorUnreachableAt]).toEqual([undefined, undefined, undefined]);
    expect(Date.parse(moved.accessExpiresAt!)).toBe(NOW + DELIVERY.lifecycle.accessSeconds * 1000);
  });

  it('denied: the access stands with the request it had, and the receipt goes to the sponsor who decided', () => {
    const request = { actor: sponsor, reason: 'Not my team.' };
    const kept = CHANGES.sponsorDeny.apply(pending, request, { nowMs: NOW }, DELIVERY.lifecycle);
    expect(kept).toMatchObject({ status: 'active', sponsoredBy: 'sue@agency.gov', request: OLD, requestId: 'r-old' });
    expect(kept.transferPending).toBeUndefined();
    expect(CHANGES.sponsorDeny.emails(kept, request, { nowMs: NOW }).map((owed) => [owed.to, owed.email.type])).toEqual([
      ['cora@acme.example', 'sponsorship_denied'],
      ['nia@agency.gov', 'decision_receipt'],
    ]);
  });
});
