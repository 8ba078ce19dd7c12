import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { listSponsored, type ManageDeps, type ManageInput, manageSponsored } from '../../functions/use-cases/manage-contractors';
import {
  DELIVERY,
  InMemoryAccountStore,
  InMemorySponsorDirectory,
  ManualClock,
  RecordingLog,
  RecordingMetrics,
  RecordingNotifier,
  sponsorSession,
} from '../support/fakes';

const DAY = 86_400;
const PERIOD = 90 * DAY;
const START = Date.parse('2030-01-15T12:00:00.000Z');
const BASE_URL = 'https://sandbox.example.gov';
const SPONSOR = 'pat.sponsor@agency.gov';
const IP = '192.0.2.44';
const iso = (ms: number) => new Date(ms).toISOString();

/** An approved contractor of SPONSOR whose access ends `endsInSeconds` after START. */
function contractor(email: string, endsInSeconds: number, extra: Partial<Account> = {}): Account {
  return {
    email,
    kind: 'contractor',
    status: 'active',
    name: 'Casey Contractor',
    createdAt: iso(START - 100 * DAY * 1000),
    updatedAt: iso(START - 100 * DAY * 1000),
    activatedAt: iso(START - 100 * DAY * 1000),
    requestId: `req-${email.split('@')[0]}`,
    request: {
      id: `req-${email.split('@')[0]}`,
      company: 'Acme',
      sponsorEmail: SPONSOR,
      justification: 'Work.',
      requestedAt: iso(START - 101 * DAY * 1000),
    },
    sponsoredBy: SPONSOR,
    approvedAt: iso(START - 100 * DAY * 1000),
    accessExpiresAt: iso(START + endsInSeconds * 1000),
    history: [],
    version: 4,
    ...extra,
  };
}

async function setup(accounts: Account[]) {
  const clock = new ManualClock(START);
  const store = new InMemoryAccountStore(accounts);
  const sponsors = new InMemorySponsorDirectory();
  const notifier = new RecordingNotifier();
  for (const account of accounts) await sponsors.addRequest(SPONSOR, account.requestId!, account.email);
  const deps: ManageDeps = {
    ...DELIVERY,
    store,
    sponsors,
    notifier,
    clock,
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
  };
  const session = sponsorSession(SPONSOR);
  const manage = (account: Account, input: Partial<ManageInput>) =>
    manageSponsored({ session, requestId: account.requestId!, action: 'renew', clientIp: IP, baseUrl: BASE_URL, ...input }, deps);
  return { clock, store, notifier, deps, session, manage };
}

describe('a sponsor’s Renew', () => {
  it('renews to one period from now, and tells the contractor and the sponsor (a receipt)', async () => {
    const casey = contractor('casey@acme.com', 5 * DAY);
    const { manage, store, notifier } = await setup([casey]);

    await expect(manage(casey, { seen: casey.accessExpiresAt! })).resolves.toEqual({
      status: 'active',
      accessExpiresAt: iso(START + PERIOD * 1000),
    });

    expect(store.peek(casey.email)).toMatchObject({ accessExpiresAt: iso(START + PERIOD * 1000), renewedAt: iso(START) });
    expect(store.peek(casey.email)?.history.at(-1)).toEqual({
      at: iso(START),
      event: 'access_renewed',
      by: `sponsor:${SPONSOR}`,
      ip: IP,
      via: 'emailed_code',
    });
    expect(notifier.sent).toEqual([
      {
        to: casey.email,
        email: { type: 'access_renewed', accessExpiresAt: iso(START + PERIOD * 1000), sponsorEmail: SPONSOR, name: 'Casey Contractor' },
      },
      {
        to: SPONSOR,
        email: { type: 'decision_receipt', outcome: 'renewed', contractorEmail: casey.email, clientIp: IP, at: iso(START) },
        link: { url: `${BASE_URL}/sponsors` },
      },
    ]);
  });

  it('two renewals from the same page (the same end seen) give one period and one email each', async () => {
    const casey = contractor('casey@acme.com', 5 * DAY);
    const { manage, store, notifier, clock } = await setup([casey]);
    const seen = casey.accessExpiresAt!;

    const first = await manage(casey, { seen });
    const written = store.peek(casey.email)!;
    clock.advanceSeconds(30);
    const second = await manage(casey, { seen });

    // The second says so: nothing changed, and the end is the first's.
    expect(second).toEqual({ ...first, unchanged: true });
    expect(store.peek(casey.email)).toEqual(written);
    expect(notifier.sent.map((sent) => [sent.to, sent.email.type])).toEqual([
      [casey.email, 'access_renewed'],
      [SPONSOR, 'decision_receipt'],
    ]);
  });

  it('two renewals from the same page at once: one renews, both answer the same end', async () => {
    const casey = contractor('casey@acme.com', 5 * DAY);
    const { manage, store, notifier } = await setup([casey]);
    const seen = casey.accessExpiresAt!;

    const answers = await Promise.all([manage(casey, { seen }), manage(casey, { seen })]);

    expect(answers).toEqual(
      expect.arrayContaining([
        { status: 'active', accessExpiresAt: iso(START + PERIOD * 1000) },
        { status: 'active', accessExpiresAt: iso(START + PERIOD * 1000), unchanged: true },
      ]),
    );
    expect(store.peek(casey.email)?.history.filter((entry) => entry.event === 'access_renewed')).toHaveLength(1);
    expect(notifier.sent.filter((sent) => sent.email.type === 'access_renewed')).toHaveLength(1);
  });

  it('never moves an end already at least one period ahead', async () => {
    const far = contractor('far@acme.com', PERIOD + 10 * DAY);
    const { manage, store } = await setup([far]);

    await expect(manage(far, { seen: far.accessExpiresAt! })).resolves.toEqual({
      status: 'active',
      accessExpiresAt: far.accessExpiresAt,
      unchanged: true,
    });
    expect(store.peek(far.email)?.accessExpiresAt).toBe(far.accessExpiresAt);
  });

  it('renews lapsed access (expired, not yet swept) from now, whatever end the page showed', async () => {
    const lapsed = contractor('lapsed@acme.com', -DAY);
    const { manage, store } = await setup([lapsed]);

    await expect(manage(lapsed, { seen: lapsed.accessExpiresAt! })).resolves.toEqual({
      status: 'active',
      accessExpiresAt: iso(START + PERIOD * 1000),
    });
    expect(store.peek(lapsed.email)?.status).toBe('active');
  });

  it('is the sponsor’s through any address the provider vouches for', async () => {
    const casey = contractor('casey@acme.com', 5 * DAY);
    const { deps, store } = await setup([casey]);
    const session = sponsorSession('p.sponsor@agency.gov', 'oidc', { also: [SPONSOR], sub: 'uuid-9' });

    await manageSponsored({ session, requestId: casey.requestId!, action: 'renew', clientIp: IP }, deps);

    expect(store.peek(casey.email)?.history.at(-1)).toMatchObject({ by: `sponsor:${SPONSOR}`, via: 'oidc', sub: 'uuid-9' });
  });
});

describe('a sponsor’s End access', () => {
  it('ends the access now, answers when, and tells the contractor (with the reason) and the sponsor (a receipt)', async () => {
    const casey = contractor('casey@acme.com', 30 * DAY);
    const { manage, store, notifier } = await setup([casey]);

    await expect(manage(casey, { action: 'end', reason: 'Project over.' })).resolves.toEqual({ status: 'revoked', endedAt: iso(START) });

    expect(store.peek(casey.email)).toMatchObject({ status: 'revoked', revokedAt: iso(START), endReason: 'Project over.' });
    expect(notifier.sent).toEqual([
      {
        to: casey.email,
        email: { type: 'access_ended', sponsorEmail: SPONSOR, reason: 'Project over.', name: 'Casey Contractor' },
      },
      {
        to: SPONSOR,
        email: { type: 'decision_receipt', outcome: 'ended', contractorEmail: casey.email, clientIp: IP, at: iso(START) },
        link: { url: `${BASE_URL}/sponsors` },
      },
    ]);
  });

  it('cannot end access that has already lapsed (409 with the status as of now)', async () => {
    const lapsed = contractor('lapsed@acme.com', -DAY);
    const { manage, notifier } = await setup([lapsed]);
    await expect(manage(lapsed, { action: 'end' })).rejects.toMatchObject({ code: 'invalid_state', details: { status: 'expired' } });
    expect(notifier.attempts).toEqual([]);
  });
});

describe('a sponsor’s list', () => {
  it('carries each contractor’s agency (their sponsor’s, from the registry), null on a record older than agencies', async () => {
    const agency = {
      organization: 'General Services Administration',
      suborganization: 'Office of GSA IT',
      domainType: 'Federal - Executive',
    };
    const { deps, session } = await setup([contractor('casey@acme.com', 30 * DAY, { agency }), contractor('old@acme.com', 30 * DAY)]);
    const { contractors } = await listSponsored(session, deps);
    expect(contractors.map((row) => [row.email, row.agency])).toEqual(
      expect.arrayContaining([
        ['casey@acme.com', agency],
        ['old@acme.com', null],
      ]),
    );
  });
});
