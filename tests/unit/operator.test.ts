import { describe, expect, it } from 'vitest';
import type { Account, AccountStatus } from '../../functions/core/account';
import { type ChangeRequest, mayChange, OPERATOR_ACTIONS, type OperatorAction } from '../../functions/core/changes';
import { scheduled } from '../../functions/core/lifecycle';

const mayOperate = (account: Account, action: OperatorAction, nowMs: number) => mayChange(OPERATOR_ACTIONS[action], account, nowMs);
const operate = (account: Account, action: OperatorAction, request: Omit<ChangeRequest, 'actor'> & { operator: string }, nowMs: number) => {
  const { operator, ...rest } = request;
  return scheduled(OPERATOR_ACTIONS[action].apply(account, { actor: { role: 'operator', name: operator }, ...rest }, { nowMs }, POLICY));
};

const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const DAY = 86_400_000;
const POLICY = { accessSeconds: 365 * 86_400, renewalNoticeSeconds: 30 * 86_400 };

const account = (kind: Account['kind'], status: AccountStatus, extra: Partial<Account> = {}): Account => ({
  email: `${kind}.${status}@example.gov`,
  kind,
  status,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  history: [],
  version: 3,
  ...extra,
});

describe('what an operator may do', () => {
  it.each<[Account['kind'], AccountStatus, OperatorAction, boolean]>([
    ['agency', 'active', 'revoke', true],
    ['agency', 'pending', 'revoke', false],
    ['agency', 'revoked', 'reinstate', true],
    ['contractor', 'denied', 'reinstate', true],
    ['contractor', 'expired', 'reinstate', true],
    ['contractor', 'active', 'reinstate', false],
    ['contractor', 'expired', 'renew', true],
    ['contractor', 'revoked', 'renew', false],
    ['agency', 'active', 'renew', false],
  ])('%s %s: %s → %s', (kind, status, action, allowed) => {
    expect(mayOperate(account(kind, status), action, NOW)).toBe(allowed);
  });

  it('treats an active contractor past its end as expired: reinstate and renew apply, revoke does not', () => {
    const lapsed = account('contractor', 'active', { accessExpiresAt: new Date(NOW - DAY).toISOString() });
    expect([mayOperate(lapsed, 'revoke', NOW), mayOperate(lapsed, 'reinstate', NOW), mayOperate(lapsed, 'renew', NOW)]).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('the changes', () => {
  it('revokes with the reason and an audit entry by the operator', () => {
    const revoked = operate(account('agency', 'active'), 'revoke', { operator: 'alice', reason: 'Left' }, NOW);
    expect([revoked.status, revoked.endReason, revoked.history.at(-1)?.by, revoked.version]).toEqual([
      'revoked',
      'Left',
      'operator:alice',
      4,
    ]);
  });

  it('reinstates a contractor with a new period (or the one asked for), its reminder scheduled', () => {
    const denied = account('contractor', 'denied', { deniedAt: '2030-01-02T00:00:00.000Z' });
    const back = operate(denied, 'reinstate', { operator: 'alice', seconds: 90 * 86_400 }, NOW);
    expect([back.status, back.accessExpiresAt, back.deniedAt]).toEqual(['active', new Date(NOW + 90 * DAY).toISOString(), undefined]);
    expect(back.dueAt).toBe((NOW + 60 * DAY) / 1000);
  });

  it('renews from the later of now and the current end', () => {
    const active = account('contractor', 'active', { accessExpiresAt: new Date(NOW + 10 * DAY).toISOString() });
    const renewed = operate(active, 'renew', { operator: 'alice' }, NOW);
    expect(renewed.accessExpiresAt).toBe(new Date(NOW + 375 * DAY).toISOString());
    expect(renewed.history.at(-1)).toMatchObject({ event: 'access_renewed', by: 'operator:alice' });
  });
});
