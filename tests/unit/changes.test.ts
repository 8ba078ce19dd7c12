import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { type AccountChange, type Actor, byOf, CHANGES, type ChangeName, SELF, SYSTEM } from '../../functions/core/changes';
import { type ChangeScope, changeAccount } from '../../functions/use-cases/change-account';
import { DELIVERY, InMemoryAccountStore, ManualClock, RecordingLog, RecordingMetrics, RecordingNotifier } from '../support/fakes';

const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const DAY = 86_400_000;
const POLICY = { accessSeconds: 365 * 86_400, renewalNoticeSeconds: 30 * 86_400 };
const SPONSOR = 'sam.sponsor@agency.gov';

const contractor = (status: AccountStatus): Account => ({
  email: `casey.${status}@acme.com`,
  kind: 'contractor',
  status,
  name: 'Casey',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  history: [],
  version: 3,
  requestId: 'r-1',
  request: { id: 'r-1', sponsorEmail: SPONSOR, company: 'Acme', justification: 'Work.', requestedAt: '2030-01-01T00:00:00.000Z' },
  ...(status === 'active' ? { sponsoredBy: SPONSOR, accessExpiresAt: new Date(NOW + 10 * DAY).toISOString() } : {}),
});

const GRANT = { jti: 'jti-1', expiresAt: Math.floor(NOW / 1000) + 7 * 86_400 };

const ACTORS: Readonly<Record<ChangeName, Actor>> = {
  confirmAgency: SELF,
  confirmContractor: SELF,
  remind: SYSTEM,
  expire: SYSTEM,
  confirmTransfer: SELF,
  warnDormant: SYSTEM,
  expireDormant: SYSTEM,
  keepAccount: SELF,
  noDecision: SYSTEM,
  suspendDeregistered: SYSTEM,
  suspendUndeliverable: SYSTEM,
  resumeVerified: SELF,
  sponsorApprove: { role: 'sponsor', name: SPONSOR, via: { via: 'oidc', sub: 'idp-sub-1', acr: 'urn:acr.login.gov:auth-only' } },
  sponsorDeny: { role: 'sponsor', name: SPONSOR, via: { via: 'emailed_code' } },
  sponsorRenew: { role: 'sponsor', name: SPONSOR, via: { via: 'oidc', sub: 'idp-sub-1' } },
  sponsorEnd: { role: 'sponsor', name: SPONSOR, via: { via: 'emailed_code' } },
  operatorRevoke: { role: 'operator', name: 'alice' },
  operatorReinstate: { role: 'operator', name: 'alice' },
  operatorRenew: { role: 'operator', name: 'alice' },
};

function run(change: AccountChange, account: Account, actor: Actor) {
  const store = new InMemoryAccountStore([account]);
  const notifier = new RecordingNotifier();
  const metrics = new RecordingMetrics();
  const deps = {
    ...DELIVERY,
    events: true,
    store,
    notifier,
    metrics,
    log: new RecordingLog(),
    clock: new ManualClock(NOW),
    lifecycle: POLICY,
  };
  const scope: ChangeScope = {
    find: async () => store.peek(account.email)!,
    refuse: (status) => {
      throw new Error(`refused: ${status}`);
    },
    conflict: () => {
      throw new Error('conflict');
    },
    links: { baseUrl: 'https://sandbox.example.gov' },
    ip: '198.51.100.7',
  };
  return {
    store,
    notifier,
    metrics,
    done: changeAccount(change, { actor, reason: 'Because.', grant: GRANT }, scope, deps),
  };
}

describe('every declared change, run by the one executor', () => {
  it.each(Object.entries(CHANGES) as [ChangeName, AccountChange][])(
    '%s: one write with its audit entry, emails, event and metric',
    async (name, change) => {
      // Expiry starts from an active contractor past its end (expired as of now, not yet written).
      const account: Account =
        name === 'expire'
          ? { ...contractor('active'), accessExpiresAt: new Date(NOW - DAY).toISOString() }
          : { ...contractor(change.from[0]!), kind: change.kinds?.[0] ?? 'contractor' };
      const { store, notifier, metrics, done } = run(change, account, ACTORS[name]);
      const next = await done;

      // The change is one write; the sender's clearing of what it delivered comes after it.
      expect(store.puts[0]).toMatchObject({ expectedVersion: account.version, written: true });
      expect(store.peek(account.email)?.status).toBe(next.status);
      expect(next.version).toBe(account.version + 1);
      expect(next.history.at(-1)?.by).toBe(byOf(ACTORS[name]));
      // A sponsor's change records how they signed in: the method, and (OIDC) the provider's subject and level.
      const actor = ACTORS[name];
      if (actor.role === 'sponsor') expect(next.history.at(-1)).toMatchObject({ ...actor.via });
      const owed = change.emails(next, { actor: ACTORS[name] }, { nowMs: NOW, ip: '198.51.100.7' });
      expect(notifier.sent.map((sent) => [sent.to, sent.email.type])).toEqual(owed.map((email) => [email.to, email.email.type]));
      expect(
        (next.outbox ?? [])
          .filter((delivery) => delivery.channel === 'webhook')
          .map((delivery) => delivery.channel === 'webhook' && delivery.event.type),
      ).toEqual(change.event ? [change.event] : []);
      if (change.metric) expect(metrics.get(change.metric)).toBe(1);
      expect(next.dueAt === undefined || next.dueAt > 0).toBe(true);
    },
  );

  it.each(Object.entries(CHANGES) as [ChangeName, AccountChange][])(
    '%s: refused from a status it does not start from, writing nothing',
    async (name, change) => {
      const other = (['pending', 'denied', 'revoked', 'awaiting_sponsor'] as const).find((status) => !change.from.includes(status))!;
      const account = contractor(other);
      const { store, notifier, done } = run(change, account, ACTORS[name]);
      await expect(done).rejects.toThrow(`refused: ${other}`);
      expect([store.peek(account.email), notifier.sent]).toEqual([account, []]);
    },
  );

  it('re-reads and decides again after a lost race, then refuses what no longer fits', async () => {
    const account = contractor('active');
    const { store, done } = run(CHANGES.sponsorEnd, { ...account }, ACTORS.sponsorEnd);
    store.beforePut = () => {
      store.beforePut = undefined;
      store.seed({ ...account, status: 'revoked', version: account.version + 1 });
    };
    await expect(done).rejects.toThrow('refused: revoked');
  });
});
