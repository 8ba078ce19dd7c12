import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { InvalidRequestError } from '../../functions/core/errors';
import type { AccountPages } from '../../functions/core/ports';
import { listRoster } from '../../functions/use-cases/roster';
import { ManualClock, rejection } from '../support/fakes';

const NOW = '2030-03-01T12:00:00.000Z';

const account = (email: string, status: AccountStatus, overrides: Partial<Account> = {}): Account => ({
  email,
  kind: 'agency',
  status,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-02-01T00:00:00.000Z',
  history: [],
  version: 3,
  ...overrides,
});

/** The table in its own order; a cursor is the index after the last account handed out. */
function pagesOf(accounts: Account[]): AccountPages {
  return {
    isCursor: (cursor) => /^\d+$/.test(cursor),
    async page(cursor, wanted, keep) {
      const found: Account[] = [];
      for (let at = cursor ? Number(cursor) : 0; at < accounts.length; at++) {
        if (!keep(accounts[at]!)) continue;
        found.push(accounts[at]!);
        if (found.length === wanted) return { accounts: found, next: String(at + 1) };
      }
      return { accounts: found };
    },
  };
}

const TABLE = [
  account('a@agency.gov', 'active'),
  account('p@agency.gov', 'pending'),
  account('r@agency.gov', 'revoked', { updatedAt: '2030-02-20T00:00:00.000Z' }),
  account('c@acme.example', 'active', {
    kind: 'contractor',
    sponsoredBy: 'pat@agency.gov',
    accessExpiresAt: '2030-02-28T00:00:00.000Z',
    agency: { organization: 'General Services Administration', domainType: 'Federal - Executive' },
  }),
  account('b@agency.gov', 'active'),
];
const deps = { pages: pagesOf(TABLE), clock: new ManualClock(NOW) };

describe('the roster', () => {
  it('lists who may enter now: an active contractor past their end is expired, and pending requests never appear', async () => {
    const all = await listRoster({}, deps);
    expect(all.Resources.map((entry) => [entry.userName, entry.status, entry.active])).toEqual([
      ['a@agency.gov', 'active', true],
      ['r@agency.gov', 'revoked', false],
      ['c@acme.example', 'expired', false],
      ['b@agency.gov', 'active', true],
    ]);
    expect((await listRoster({ status: 'active' }, deps)).Resources.map((entry) => entry.userName)).toEqual([
      'a@agency.gov',
      'b@agency.gov',
    ]);
    expect(all.Resources[2]).toMatchObject({ sponsor: 'pat@agency.gov', agency: { organization: 'General Services Administration' } });
  });

  it('pages by cursor until a page has none, and filters on the last change', async () => {
    const first = await listRoster({ count: 2 }, deps);
    const second = await listRoster({ count: 2, cursor: first.nextCursor! }, deps);
    expect([first.itemsPerPage, second.itemsPerPage, second.nextCursor]).toEqual([2, 2, '5']);
    expect((await listRoster({ changedSince: '2030-02-10T00:00:00.000Z' }, deps)).Resources.map((entry) => entry.userName)).toEqual([
      'r@agency.gov',
    ]);
  });

  it('refuses a cursor it did not give and a count out of range (400)', async () => {
    for (const query of [{ cursor: 'forged' }, { count: 0 }, { count: 501 }]) {
      expect(await rejection(listRoster(query, deps)), JSON.stringify(query)).toBeInstanceOf(InvalidRequestError);
    }
  });
});
