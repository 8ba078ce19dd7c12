import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { mayChange, SPONSOR_ACTIONS } from '../../functions/core/changes';
import { hashLinkToken, newLinkToken } from '../../functions/core/link-token';
import { planSignUp } from '../../functions/core/sign-up-plan';
import { type ConfirmDeps, confirmVerification, inspectVerification } from '../../functions/use-cases/verify-email';
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

const NOW = '2030-06-01T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const SPONSOR = 'pat@agency.gov';
const LINK_ID = 'AbCdEfGhIjKlMnOpQrStUv';

/** A contractor whose access ended a week ago, with the audit trail of the request that granted it. */
const expired: Account = {
  email: 'casey@acme.example',
  kind: 'contractor',
  status: 'expired',
  name: 'Casey',
  linkId: LINK_ID,
  requestId: 'r-1',
  request: { id: 'r-1', company: 'Acme', sponsorEmail: SPONSOR, justification: 'Work.', requestedAt: '2030-01-01T00:00:00.000Z' },
  sponsoredBy: SPONSOR,
  activatedAt: '2030-01-02T00:00:00.000Z',
  approvedAt: '2030-01-03T00:00:00.000Z',
  accessExpiresAt: '2030-05-25T00:00:00.000Z',
  expiredAt: '2030-05-25T00:01:00.000Z',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-05-25T00:01:00.000Z',
  history: [
    { at: '2030-01-01T00:00:00.000Z', event: 'sponsorship_requested', by: 'self' },
    { at: '2030-01-03T00:00:00.000Z', event: 'sponsorship_approved', by: `sponsor:${SPONSOR}` },
    { at: '2030-05-25T00:01:00.000Z', event: 'access_expired', by: 'system' },
  ],
  version: 7,
};

/** Somebody (anybody: an address is all it takes) asks for a new request for casey, naming another sponsor. */
function aStrangersRequest() {
  const store = new InMemoryAccountStore([expired]);
  const token = newLinkToken(LINK_ID);
  const plan = planSignUp(
    expired,
    {
      email: expired.email,
      name: 'Not Casey',
      linkId: LINK_ID,
      tokenHash: hashLinkToken(token),
      verifyTtlSeconds: 86_400,
      sponsorship: { id: 'r-2', company: 'Evil', sponsorEmail: 'mallory@agency.gov', justification: 'x', requestedAt: NOW },
    },
    { nowMs: NOW_MS },
  );
  if (plan.action !== 'send_link') throw new Error(`expected a link, got ${plan.action}`);
  store.seed(plan.next);
  const deps: ConfirmDeps = {
    ...DELIVERY,
    store,
    clock: new ManualClock(NOW),
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    notifier: new RecordingNotifier(),
    approvals: new FakeApprovalTokens(),
    limiter: new InMemoryRateLimiter(),
    sponsorRequestsPerDay: 10,
    sponsors: new InMemorySponsorDirectory(),
  };
  const click = (action: 'confirm' | 'cancel') =>
    confirmVerification({ token, action, clientIp: '198.51.100.7', baseUrl: 'https://sandbox.example.gov' }, deps);
  return { store, deps, token, click };
}

describe('a new request for an account that once had access', () => {
  it('leaves the record as it was until its owner confirms: the sponsor may still renew it', () => {
    const { store } = aStrangersRequest();
    const stored = store.peek(expired.email)!;
    expect([stored.status, stored.sponsoredBy, stored.requestId, stored.accessExpiresAt]).toEqual([
      'expired',
      SPONSOR,
      'r-1',
      expired.accessExpiresAt,
    ]);
    expect(mayChange(SPONSOR_ACTIONS.renew, stored, NOW_MS)).toBe(true);
  });

  it('"This is not my request" withdraws only the request: the record and its whole audit trail stay', async () => {
    const { store, click } = aStrangersRequest();
    expect(await click('cancel')).toEqual({ status: 'cancelled', email: expired.email });
    const stored = store.peek(expired.email)!;
    expect(stored.status).toBe('expired');
    expect(stored.heldRequest).toBeUndefined();
    expect(stored.history.slice(0, expired.history.length)).toEqual(expired.history);
    expect(mayChange(SPONSOR_ACTIONS.renew, stored, NOW_MS)).toBe(true);
  });

  it('shows the held request on the confirmation page, and its owner’s confirmation takes it up', async () => {
    const { store, deps, token, click } = aStrangersRequest();
    expect(await inspectVerification(token, deps)).toMatchObject({
      state: 'ready',
      pending: { kind: 'contractor', name: 'Not Casey', sponsorEmail: 'mallory@agency.gov', company: 'Evil', justification: 'x' },
    });
    expect(await click('confirm')).toEqual({ status: 'awaiting_sponsor', email: expired.email });
    const stored = store.peek(expired.email)!;
    expect([stored.requestId, stored.request?.sponsorEmail, stored.sponsoredBy, stored.heldRequest]).toEqual([
      'r-2',
      'mallory@agency.gov',
      undefined,
      undefined,
    ]);
    expect(stored.history.slice(0, expired.history.length), 'the old trail is kept').toEqual(expired.history);
  });

  it('an active account past its end (not yet swept) keeps its access record until the sweep expires it and tells the sandbox; only then is its held request taken up', async () => {
    const unswept: Account = { ...expired, status: 'active', expiredAt: undefined as never };
    const store = new InMemoryAccountStore([unswept]);
    const token = newLinkToken(LINK_ID);
    const plan = planSignUp(
      unswept,
      { email: unswept.email, linkId: LINK_ID, tokenHash: hashLinkToken(token), verifyTtlSeconds: 86_400, sponsorship: unswept.request! },
      { nowMs: NOW_MS },
    );
    if (plan.action !== 'send_link') throw new Error(`expected a link, got ${plan.action}`);
    expect(plan.next.status, 'the stored record is not touched').toBe('active');
    store.seed(plan.next);
    const deps = { ...aStrangersRequest().deps, store };
    const click = () => confirmVerification({ token, clientIp: '198.51.100.7', baseUrl: 'https://sandbox.example.gov' }, deps);
    await expect(click()).rejects.toMatchObject({ code: 'already_verified' });
    expect(store.peek(expired.email)?.status).toBe('active');

    store.seed({ ...store.peek(expired.email)!, status: 'expired' });
    expect(await click()).toEqual({ status: 'awaiting_sponsor', email: expired.email });
  });
});
