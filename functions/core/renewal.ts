import { type Account, iso, type Moment } from './account';
import { endOf, type LifecyclePolicy, period } from './lifecycle';

/** The operator's renewal: one more period (`--seconds`) from the later of now and the current end: a deliberate, audited extension. */
export function renewed(account: Account, at: Moment, policy: LifecyclePolicy): Account {
  const { expiredAt: _expired, remindAt: _remind, ...rest } = account;
  return { ...rest, status: 'active', renewedAt: iso(at.nowMs), ...period(Math.max(at.nowMs, endOf(account) ?? at.nowMs), policy) };
}

/**
 * A sponsor's renewal is bounded and idempotent: access ends at the later of its current end and
 * one period from now. Two clicks give what one gives; nobody pushes access past one period ahead.
 */
export function renewedBounded(account: Account, at: Moment, policy: LifecyclePolicy): Account {
  const end = endOf(account) ?? at.nowMs;
  if (end >= at.nowMs + policy.accessSeconds * 1000) {
    const { expiredAt: _expired, ...rest } = account;
    return { ...rest, status: 'active', renewedAt: iso(at.nowMs) };
  }
  return renewed({ ...account, accessExpiresAt: iso(at.nowMs) }, at, policy);
}
