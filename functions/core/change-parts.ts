import { type Account, type AccountKind, type AccountStatus, iso, type Moment, type VerifyLink } from './account';
import { withEvent } from './account-history';
import { type Actor, byOf } from './actor';
import type { Email } from './email';
import type { LifecyclePolicy } from './lifecycle';
import type { MetricName } from './metric-names';
import type { AccessEventType } from './outbox';
import type { ApprovalGrant } from './verification';

/** What the declared changes (changes.ts) are made of: the request they answer, and the parts they share. */

export interface ChangeRequest {
  readonly actor: Actor;
  /** Why (kept in the audit entry; sent to the person where the change ends their access). */
  readonly reason?: string;
  /** A renewal's or reinstated contractor's period, if not the configured one. */
  readonly seconds?: number;
  /** A contractor's confirmation: the approval token minted for their sponsor's review link. */
  readonly grant?: ApprovalGrant;
  /** A dormancy warning: the hash of the "keep my account" link minted for its email (the raw token is never stored). */
  readonly keepLink?: VerifyLink;
  /** A dormancy warning: what restarts the clock besides the button (the sandbox's activity reports, or nothing). */
  readonly dormancy?: 'activity' | 'reconfirm';
}

/** An email a change owes, and to whom. */
export interface Owed {
  readonly to: string;
  readonly email: Email;
}

export function ended(account: Account, at: Moment, reason?: string): Account {
  const { expiredAt: _expired, remindAt: _remind, ...rest } = account;
  return { ...rest, status: 'revoked', revokedAt: iso(at.nowMs), ...(reason ? { endReason: reason } : {}) };
}

/** The one email a change owes the person whose access it changes. */
export const toThePerson =
  (email: (changed: Account, request: ChangeRequest) => Email) =>
  (changed: Account, request: ChangeRequest): Owed[] => [{ to: changed.email, email: email(changed, request) }];
export const reasonOf = (account: Account) => (account.endReason ? { reason: account.endReason } : {});

export const viaOf = (actor: Actor) => ((actor.role === 'sponsor' || actor.role === 'operator') && actor.via ? [actor.via] : []);
export const periodOf = (request: ChangeRequest, policy: LifecyclePolicy) =>
  request.seconds ? { ...policy, accessSeconds: request.seconds } : policy;
export const nameOf = (account: Account) => (account.name ? { name: account.name } : {});
export const audited = (account: Account, event: string, request: ChangeRequest, at: Moment) =>
  withEvent(account, event, byOf(request.actor), at, ...viaOf(request.actor));
export const deciderOf = (request: ChangeRequest) =>
  'name' in request.actor ? { name: request.actor.name, ...(request.actor.via ? { via: request.actor.via } : {}) } : { name: 'unknown' };
export const sponsorOf = (actor: Actor) => ('name' in actor ? actor.name : '');
export const sponsorOfAccount = (account: Account) => account.sponsoredBy ?? account.request?.sponsorEmail ?? '';

/**
 * The contractor's domain a review email names: the one their request recorded. A request recorded
 * before that field existed falls back to the address's host (after the `@`), by a plain split:
 * the public suffix list is a large table no function deciding a change should carry.
 */
export const contractorDomainOf = (account: Account): string =>
  account.request?.contractorDomain ?? account.email.slice(account.email.lastIndexOf('@') + 1);

/** The sponsor's receipt of each of their decisions, renewals and ends: if it was not them, they hear of it. */
export const receipt =
  (outcome: 'approved' | 'denied' | 'renewed' | 'ended') =>
  (changed: Account, at: Moment): Owed[] => {
    const sponsor = changed.sponsoredBy ?? changed.request?.sponsorEmail;
    if (!sponsor) return [];
    return [
      {
        to: sponsor,
        email: { type: 'decision_receipt', outcome, contractorEmail: changed.email, clientIp: at.ip ?? '', at: iso(at.nowMs) },
      },
    ];
  };

/**
 * A state change of an account, declared once: the states it starts from, what it writes (status,
 * dates, its audit entry), the emails it owes, the sandbox's event, the metric and the log line.
 * One executor (use-cases/change-account.ts) runs any of them; use cases keep only who may ask.
 */
export interface AccountChange {
  /** The statuses, as of now, it starts from. */
  readonly from: readonly AccountStatus[];
  /** The kinds of account it applies to (default: both). */
  readonly kinds?: readonly AccountKind[];
  apply(account: Account, request: ChangeRequest, at: Moment, policy: LifecyclePolicy): Account;
  emails(changed: Account, request: ChangeRequest, at: Moment): readonly Owed[];
  /** What the sandbox is told; none when nobody's access changed (a denied request). */
  readonly event?: AccessEventType;
  /** None where the count is taken elsewhere: a reminder counts when its batched email goes. */
  readonly metric?: MetricName;
  readonly log: string;
}
