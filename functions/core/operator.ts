import { type Account, type AccountStatus, iso, type Moment } from './account';
import { withEvent } from './account-history';
import { type LifecyclePolicy, period, scheduled, statusAt } from './lifecycle';

/**
 * What an operator may do to an account (docs/design.md §8), each a state change with its audit entry
 * `operator:<name>`. Pure, like every other move: the use case reads, decides here, writes.
 *   revoke:    active → revoked (any kind)
 *   reinstate: revoked, denied or expired → active (a contractor gets a new access period)
 *   renew:     a contractor's active or expired access → active, extended as a sponsor's Renew
 */
export type OperatorAction = 'revoke' | 'reinstate' | 'renew';

const STARTS: Readonly<Record<OperatorAction, readonly AccountStatus[]>> = {
  revoke: ['active'],
  reinstate: ['revoked', 'denied', 'expired'],
  renew: ['active', 'expired'],
};

export function mayOperate(account: Account, action: OperatorAction, nowMs: number): boolean {
  if (action === 'renew' && account.kind !== 'contractor') return false;
  return STARTS[action].includes(statusAt(account, nowMs));
}

export interface OperatorChange {
  readonly operator: string;
  readonly reason?: string;
  /** A renewal's or reinstated contractor's period, if not the configured one. */
  readonly seconds?: number;
}

/** Only after mayOperate. */
export function operate(account: Account, action: OperatorAction, change: OperatorChange, at: Moment, policy: LifecyclePolicy): Account {
  const by = `operator:${change.operator}`;
  const periodPolicy = change.seconds ? { ...policy, accessSeconds: change.seconds } : policy;
  const { expiredAt: _expired, remindAt: _remind, ...rest } = account;
  if (action === 'revoke') {
    const revoked: Account = {
      ...rest,
      status: 'revoked',
      revokedAt: iso(at.nowMs),
      ...(change.reason ? { endReason: change.reason } : {}),
    };
    return scheduled(withEvent(revoked, 'access_revoked', by, at));
  }
  if (action === 'reinstate') {
    const { revokedAt: _revoked, deniedAt: _denied, endReason: _reason, ...kept } = rest;
    const reinstated: Account = {
      ...kept,
      status: 'active',
      activatedAt: account.activatedAt ?? iso(at.nowMs),
      ...(account.kind === 'contractor' ? period(at.nowMs, periodPolicy) : {}),
    };
    return scheduled(withEvent(reinstated, 'access_reinstated', by, at));
  }
  const end = account.accessExpiresAt ? Date.parse(account.accessExpiresAt) : at.nowMs;
  const renewed: Account = { ...rest, status: 'active', renewedAt: iso(at.nowMs), ...period(Math.max(at.nowMs, end), periodPolicy) };
  return scheduled(withEvent(renewed, 'access_renewed', by, at));
}
