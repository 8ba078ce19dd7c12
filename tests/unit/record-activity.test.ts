import { describe, expect, it } from 'vitest';
import type { Account } from '../../functions/core/account';
import { InvalidRequestError } from '../../functions/core/errors';
import { recordActivity } from '../../functions/use-cases/record-activity';
import { InMemoryAccountStore, ManualClock, RecordingLog, rejection } from '../support/fakes';

const NOW = '2030-03-01T12:00:00.000Z';
const active = (email: string, lastSeenAt?: string): Account => ({
  email,
  kind: 'agency',
  status: 'active',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  ...(lastSeenAt ? { lastSeenAt } : {}),
  history: [],
  version: 1,
});

function world() {
  const store = new InMemoryAccountStore([active('jane@agency.gov'), active('sam@agency.gov', '2030-02-01T00:00:00.000Z')]);
  return { store, deps: { store, clock: new ManualClock(NOW), log: new RecordingLog() } };
}

describe('activity reports', () => {
  it('keep the latest time per account (a future one counts as now), never move back, and ignore unknown addresses', async () => {
    const { store, deps } = world();
    const answer = await recordActivity(
      [
        { email: 'Jane@Agency.gov', lastSeenAt: '2030-02-10T00:00:00Z' },
        { email: 'jane@agency.gov', lastSeenAt: '2031-01-01T00:00:00Z' },
        { email: 'sam@agency.gov', lastSeenAt: '2030-01-15T00:00:00Z' },
        { email: 'nobody@agency.gov', lastSeenAt: '2030-02-10T00:00:00Z' },
      ],
      deps,
    );
    expect(answer).toEqual({ accepted: 4 });
    expect(store.peek('jane@agency.gov')).toMatchObject({
      lastSeenAt: NOW,
      version: 2,
      updatedAt: '2030-01-01T00:00:00.000Z',
      history: [],
    });
    expect(store.peek('sam@agency.gov')).toMatchObject({ lastSeenAt: '2030-02-01T00:00:00.000Z', version: 1 });
    expect(store.peek('nobody@agency.gov')).toBeUndefined();
  });

  it('refuses the whole report for one bad entry, or more than 1,000, writing nothing', async () => {
    const { store, deps } = world();
    const bad = [
      { email: 'jane@agency.gov', lastSeenAt: '2030-02-10T00:00:00Z' },
      { email: 'sam@agency.gov', lastSeenAt: 'last week' },
    ];
    const refused = await rejection(recordActivity(bad, deps));
    expect([refused instanceof InvalidRequestError, (refused as InvalidRequestError).field]).toEqual([true, 'activity.1.lastSeenAt']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ email: `p${i}@agency.gov`, lastSeenAt: NOW }));
    expect(await rejection(recordActivity(tooMany, deps))).toBeInstanceOf(InvalidRequestError);
    expect(store.puts).toEqual([]);
  });
});
