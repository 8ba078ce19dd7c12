import { describe, expect, it } from 'vitest';
import type { Account, SponsorshipRequest } from '../../functions/core/account';
import type { EligibilityPolicy } from '../../functions/core/address';
import { hashLinkToken, linkIdOf, newLinkToken } from '../../functions/core/link-token';
import { requestSponsorship, type SponsorshipDeps } from '../../functions/use-cases/request-sponsorship';
import { type ConfirmDeps, confirmVerification } from '../../functions/use-cases/verify-email';
import { renderEmail } from '../../functions/views/emails';
import {
  DELIVERY,
  FakeApprovalTokens,
  InMemoryAccountStore,
  InMemoryBreaker,
  InMemoryDomainRegistry,
  InMemoryMailboxAllowances,
  InMemoryRateLimiter,
  InMemorySponsorDirectory,
  InMemorySuppressionList,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  type SentEmail,
} from '../support/fakes';

/**
 * The contractor's domain a sponsor is shown ("an external address at …") is worked out from the
 * public suffix list when the request is made, kept on the request, and read back by the
 * confirmation, so the function behind the emailed link does not carry the list.
 */

const START = '2030-01-15T12:00:00.000Z';
const START_S = Date.parse(START) / 1000;
const BASE_URL = 'https://sandbox.example.gov';
const IP = '198.51.100.23';
const JANE = 'jane@mail.acme-corp.co.uk';
const SPONSOR = 'boss@agency.gov';
const NEW_SPONSOR = 'nia@agency.gov';
const NO_EXTRAS: EligibilityPolicy = { allowedDomainSuffixes: [], deniedDomains: [] };

function setup() {
  const store = new InMemoryAccountStore();
  const notifier = new RecordingNotifier();
  const clock = new ManualClock(START);
  const common = {
    ...DELIVERY,
    store,
    clock,
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
    limiter: new InMemoryRateLimiter(),
  };
  const requestDeps: SponsorshipDeps = {
    ...common,
    registry: new InMemoryDomainRegistry(),
    sponsorGovDomainTypes: [],
    mailer: notifier,
    allowances: new InMemoryMailboxAllowances(),
    suppressions: new InMemorySuppressionList(),
    breaker: new InMemoryBreaker(),
    budgets: { anonymousEmailsPerHour: 1000, newAddressEmailsPerDomainPerHour: 50, newAddressSharePerClient: 5 },
    policy: NO_EXTRAS,
    emailLimits: { cooldownSeconds: 60, perDay: 5 },
    verifyTtlSeconds: 86_400,
    deniedSponsorMailboxes: [],
  };
  const confirmDeps: ConfirmDeps = {
    ...common,
    notifier,
    approvals: new FakeApprovalTokens(),
    sponsorRequestsPerDay: 10,
    sponsors: new InMemorySponsorDirectory(),
  };
  const ask = (sponsorEmail = SPONSOR) =>
    requestSponsorship(
      { email: JANE, name: 'Jane', company: 'Acme', sponsorEmail, justification: 'Integration work.', clientIp: IP, baseUrl: BASE_URL },
      requestDeps,
    );
  const confirm = (token: string) => confirmVerification({ token, clientIp: IP, baseUrl: BASE_URL }, confirmDeps);
  /** The review email the sponsor was sent, rendered as they read it. */
  const reviewTo = (sponsor: string) => {
    const review = notifier.sent.find((sent) => sent.to === sponsor && sent.email.type === 'sponsor_request');
    if (!review) throw new Error(`no review email to ${sponsor}`);
    return { email: review.email, text: renderEmail(review.email, review.link).text };
  };
  return { store, notifier, ask, confirm, reviewTo };
}

function verifyTokenOf(sent: SentEmail | undefined): string {
  const token = new URL(sent?.link?.url ?? 'https://x.invalid').searchParams.get('token');
  if (sent?.email.type !== 'verify_link' || !token) throw new Error('expected a verification link');
  return token;
}

const REQUEST: SponsorshipRequest = {
  id: 'r-old',
  company: 'Acme',
  sponsorEmail: SPONSOR,
  justification: 'Integration work.',
  requestedAt: START,
};

/** A record written before requests kept their domain: the request, its link `token`, and what `extra` says. */
function olderRecord(token: string, extra: Partial<Account>): Account {
  return {
    email: JANE,
    kind: 'contractor',
    status: 'pending',
    createdAt: START,
    updatedAt: START,
    linkId: linkIdOf(token)!,
    verifyLinks: [{ hash: hashLinkToken(token), expiresAt: START_S + 86_400 }],
    request: REQUEST,
    requestId: REQUEST.id,
    history: [],
    version: 1,
    ...extra,
  };
}

describe('the contractor’s domain in the sponsor’s review email', () => {
  it('is the registrable domain, worked out when the request is made and carried through the confirmation', async () => {
    const { store, notifier, ask, confirm, reviewTo } = setup();

    await ask();
    expect(store.peek(JANE)?.request?.contractorDomain).toBe('acme-corp.co.uk');
    await confirm(verifyTokenOf(notifier.sent[0]));

    expect(reviewTo(SPONSOR).email).toMatchObject({ contractor: { email: JANE, domain: 'acme-corp.co.uk' } });
    expect(reviewTo(SPONSOR).text).toContain(`${JANE}, an external address at acme-corp.co.uk,`);
  });

  it('is what the request recorded: the confirmation does not work it out again', async () => {
    const { store, ask, confirm, notifier, reviewTo } = setup();
    await ask();
    const asked = store.peek(JANE)!;
    store.seed({ ...asked, request: { ...asked.request!, contractorDomain: 'recorded.example' } });

    await confirm(verifyTokenOf(notifier.sent[0]));

    expect(reviewTo(SPONSOR).email).toMatchObject({ contractor: { domain: 'recorded.example' } });
  });

  it('falls back to the address’s host on a request recorded before the domain was kept', async () => {
    const { store, confirm, reviewTo } = setup();
    const token = newLinkToken();
    store.seed(olderRecord(token, {}));

    await confirm(token);

    expect(reviewTo(SPONSOR).email).toMatchObject({ contractor: { email: JANE, domain: 'mail.acme-corp.co.uk' } });
  });

  it('is kept on a request for another sponsor (the first one’s mailbox is gone) and named to the new sponsor', async () => {
    const { store, notifier, ask, confirm, reviewTo } = setup();
    const active: Partial<Account> = {
      status: 'active',
      sponsoredBy: SPONSOR,
      activatedAt: START,
      accessExpiresAt: '2030-06-01T00:00:00.000Z',
      sponsorUnreachableAt: START,
      verifyLinks: [],
    };
    store.seed(olderRecord(newLinkToken(), active));

    await ask(NEW_SPONSOR);
    expect(store.peek(JANE)?.transfer).toMatchObject({ sponsorEmail: NEW_SPONSOR, contractorDomain: 'acme-corp.co.uk' });
    await confirm(verifyTokenOf(notifier.last()));

    expect(reviewTo(NEW_SPONSOR).email).toMatchObject({ contractor: { email: JANE, domain: 'acme-corp.co.uk' } });
  });

  it('falls back to the host on a request for another sponsor recorded before the domain was kept', async () => {
    const { store, confirm, reviewTo } = setup();
    const token = newLinkToken();
    store.seed(
      olderRecord(token, {
        status: 'active',
        sponsoredBy: SPONSOR,
        activatedAt: START,
        accessExpiresAt: '2030-06-01T00:00:00.000Z',
        sponsorUnreachableAt: START,
        transfer: { ...REQUEST, id: 'r-new', sponsorEmail: NEW_SPONSOR },
      }),
    );

    await confirm(token);

    expect(reviewTo(NEW_SPONSOR).email).toMatchObject({ contractor: { email: JANE, domain: 'mail.acme-corp.co.uk' } });
  });
});
