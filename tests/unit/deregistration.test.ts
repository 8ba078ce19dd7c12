import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { operateAccount } from '../../functions/use-cases/operate-account';
import { sweep } from '../../functions/use-cases/sweep';
import { InMemoryDomainRegistry } from '../support/fakes';
import { sweepWorld } from '../support/sweep-world';

const START = Date.parse('2030-03-01T12:00:00.000Z');
const GONE = 'leaving.gov';
const AGENCY = { organization: 'Leaving Agency', domainType: 'Federal - Executive' };

const agencyAccount = (email: string, status: AccountStatus, registeredDomain = GONE): Account => ({
  email,
  kind: 'agency',
  status,
  agency: AGENCY,
  registeredDomain,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  ...(status === 'active' ? { activatedAt: '2030-01-01T00:00:00.000Z' } : {}),
  history: [],
  version: 2,
});

function world(accounts: Account[]) {
  return sweepWorld(accounts, START, new InMemoryDomainRegistry().leave(GONE, '2030-03-01T11:00:00.000Z'));
}

describe('a domain that leaves the .gov registry', () => {
  it('suspends its active accounts at the next sweep, with one event each and no email, and leaves the others alone', async () => {
    const { deps, store, registry, notifier, webhooks, metrics } = world([
      agencyAccount('ada@leaving.gov', 'active'),
      agencyAccount('bo@it.leaving.gov', 'active'),
      agencyAccount('cy@leaving.gov', 'revoked'),
      agencyAccount('di@staying.gov', 'active', 'staying.gov'),
    ]);

    expect(await sweep(deps)).toMatchObject({ suspended: 2 });

    expect(['ada@leaving.gov', 'bo@it.leaving.gov', 'cy@leaving.gov', 'di@staying.gov'].map((email) => store.peek(email)?.status)).toEqual([
      'suspended',
      'suspended',
      'revoked',
      'active',
    ]);
    expect(store.peek('ada@leaving.gov')).toMatchObject({ suspendedFor: 'domain_deregistered', suspendedAt: '2030-03-01T12:00:00.000Z' });
    expect(store.peek('ada@leaving.gov')?.history.at(-1)).toMatchObject({ event: 'account_suspended', by: 'system' });
    expect(webhooks.events.map((event) => [event.type, event.data.email, event.data.status, event.data.agency])).toEqual([
      ['access.suspended', 'ada@leaving.gov', 'suspended', AGENCY],
      ['access.suspended', 'bo@it.leaving.gov', 'suspended', AGENCY],
    ]);
    // Mail to a domain that is gone bounces: nobody is emailed.
    expect(notifier.sent).toEqual([]);
    expect(metrics.get('AccountsSuspended')).toBe(2);
    expect(registry.due(), 'the domain is settled').toEqual([]);

    expect(await sweep(deps), 'the next run has nothing to do').toMatchObject({ suspended: 0 });
    expect(store.calls.findByDomain).toBe(1);
    expect(webhooks.events).toHaveLength(2);
  });

  it('leaves the domain due when the run has no time left, and finishes it in the next run', async () => {
    const { deps, store, registry } = world([agencyAccount('ada@leaving.gov', 'active')]);

    expect(await sweep({ ...deps, timeLeftMs: () => 500 })).toMatchObject({ suspended: 0 });
    expect([store.peek('ada@leaving.gov')?.status, registry.due()]).toEqual(['active', [GONE]]);

    expect(await sweep(deps)).toMatchObject({ suspended: 1 });
    expect(registry.due()).toEqual([]);
  });

  it('keeps the domain due while a confirmation link on it is live, and suspends the account its use made active', async () => {
    const pending: Account = {
      ...agencyAccount('new@leaving.gov', 'pending'),
      verifyLinks: [{ hash: 'h', expiresAt: START / 1000 + 3600 }],
    };
    const { deps, store, registry } = world([pending]);

    expect(await sweep(deps)).toMatchObject({ suspended: 0 });
    expect([store.peek('new@leaving.gov')?.status, registry.due()]).toEqual(['pending', [GONE]]);

    store.seed({ ...store.peek('new@leaving.gov')!, status: 'active', version: 3 });
    expect(await sweep(deps)).toMatchObject({ suspended: 1 });
    expect([store.peek('new@leaving.gov')?.status, registry.due()]).toEqual(['suspended', []]);
  });

  it('loses cleanly to an operator who revokes the account between the index read and the write', async () => {
    const { deps, store, webhooks } = world([agencyAccount('ada@leaving.gov', 'active')]);
    store.beforePut = (next) => {
      if (next.status !== 'suspended') return;
      store.beforePut = undefined;
      const current = store.peek('ada@leaving.gov')!;
      store.seed({ ...current, status: 'revoked', version: current.version + 1 });
    };

    expect(await sweep(deps)).toMatchObject({ suspended: 0 });
    expect(store.peek('ada@leaving.gov')?.status).toBe('revoked');
    expect(webhooks.events).toEqual([]);
  });

  it('lets an operator reinstate a suspended account: active again, and the sandbox told', async () => {
    const { deps, store, webhooks } = world([agencyAccount('ada@leaving.gov', 'active')]);
    await sweep(deps);

    const reinstated = await operateAccount(
      { email: 'ada@leaving.gov', action: 'reinstate', operator: 'alice', reason: 'Domain renewed.' },
      deps,
    );

    expect(reinstated.status).toBe('active');
    const account = store.peek('ada@leaving.gov')!;
    expect([account.suspendedAt, account.suspendedFor]).toEqual([undefined, undefined]);
    await sweep(deps);
    expect(webhooks.events.map((event) => event.type)).toEqual(['access.suspended', 'access.granted']);
  });
});
