import { type Account, type AccountKind, type Decision, iso, type Moment } from './account';
import { withEvent } from './account-history';
import { byOf } from './actor';
import {
  type AccountChange,
  audited,
  contractorDomainOf,
  deciderOf,
  ended,
  nameOf,
  periodOf,
  reasonOf,
  receipt,
  sponsorOf,
  sponsorOfAccount,
  toThePerson,
} from './change-parts';
import { restartDormancy } from './dormancy';
import { type LifecyclePolicy, type ManageAction, period, statusAt } from './lifecycle';
import { renewed, renewedBounded } from './renewal';
import { decideSponsorship } from './sponsorship';
import { KEEP_ACCOUNT, SYSTEM_CHANGES } from './system-changes';
import { transferConfirmed, transferDenied, transferSettled } from './transfer';
import { confirmEmail } from './verification';

export { type Actor, byOf, SELF, SYSTEM, sponsorActor } from './actor';
export type { AccountChange, ChangeRequest, Owed } from './change-parts';

export function mayChange(change: AccountChange, account: Account, nowMs: number): boolean {
  if (change.kinds && !change.kinds.includes(account.kind)) return false;
  return change.from.includes(statusAt(account, nowMs));
}

/** A renewal of access that had expired is an activation: the dormancy clock starts again (its old end may have passed). */
function afterExpiry(before: Account, at: Moment, policy: LifecyclePolicy, renewedAccount: Account): Account {
  return statusAt(before, at.nowMs) === 'expired' ? restartDormancy(renewedAccount, at.nowMs, policy.dormancy) : renewedAccount;
}

export const CHANGES = {
  ...SYSTEM_CHANGES,
  keepAccount: KEEP_ACCOUNT,
  /** An agency employee confirms their address: pending → active. */
  confirmAgency: {
    from: ['pending'],
    kinds: ['agency'],
    apply: (account, _request, at, policy) => restartDormancy(confirmEmail(account, at), at.nowMs, policy.dormancy),
    emails: () => [],
    event: 'access.granted',
    metric: 'Verifications',
    log: 'email verified',
  },
  /** A contractor confirms their address: pending → awaiting_sponsor, and the sponsor is asked (with the minted review link). */
  confirmContractor: {
    from: ['pending'],
    kinds: ['contractor'],
    apply: (account, request, at) => confirmEmail(account, at, request.grant),
    emails: (changed) => [
      {
        to: sponsorOfAccount(changed),
        email: {
          type: 'sponsor_request',
          contractor: { email: changed.email, domain: contractorDomainOf(changed) },
          ...(changed.agency ? { agency: changed.agency } : {}),
        },
      },
    ],
    metric: 'Verifications',
    log: 'email verified',
  },
  /** An active contractor confirms their request for another sponsor (theirs is gone): the new sponsor is asked; access stands. */
  confirmTransfer: {
    from: ['active'],
    kinds: ['contractor'],
    apply: (account, request, at) =>
      request.grant && account.transfer ? transferConfirmed(account, request.grant, at) : withEvent(account, 'email_verified', 'self', at),
    emails: (changed) => [
      {
        to: changed.request?.sponsorEmail ?? '',
        email: {
          type: 'sponsor_request',
          contractor: { email: changed.email, domain: contractorDomainOf(changed) },
          ...(changed.agency ? { agency: changed.agency } : {}),
        },
      },
    ],
    metric: 'Verifications',
    log: 'email verified: a request for another sponsor',
  },
  /** A sponsor's Approve: awaiting_sponsor → active for one period; the contractor and the sponsor are told. */
  sponsorApprove: {
    // `active`: a confirmed request for another sponsor (classifyApproval admits only those): the sponsorship moves, no gap.
    from: ['awaiting_sponsor', 'active'],
    apply: (account, request, at, policy) =>
      transferSettled(
        restartDormancy(decideSponsorship(account, 'approve', request.reason, at, policy, deciderOf(request)), at.nowMs, policy.dormancy),
      ),
    emails: (changed, _request, at) => [
      {
        to: changed.email,
        email: { type: 'sponsorship_approved', accessExpiresAt: changed.accessExpiresAt ?? iso(at.nowMs), ...nameOf(changed) },
      },
      ...receipt('approved')(changed, at),
    ],
    event: 'access.granted',
    metric: 'Approvals',
    log: 'sponsorship decided',
  },
  /** A sponsor's Deny: awaiting_sponsor → denied, with the reason told to the contractor. */
  sponsorDeny: {
    // `active`: a confirmed request for another sponsor, denied: the access stands as it was.
    from: ['awaiting_sponsor', 'active'],
    apply: (account, request, at, policy) =>
      account.transferPending
        ? transferDenied(account, byOf(request.actor), at)
        : decideSponsorship(account, 'deny', request.reason, at, policy, deciderOf(request)),
    emails: (changed, request, at) => [
      {
        to: changed.email,
        email: { type: 'sponsorship_denied', ...(request.reason ? { reason: request.reason } : {}), ...nameOf(changed) },
      },
      // A transfer's receipt goes to the sponsor who decided, not the one whose mailbox is gone.
      ...(changed.status === 'active'
        ? [
            {
              to: sponsorOf(request.actor),
              email: {
                type: 'decision_receipt' as const,
                outcome: 'denied' as const,
                contractorEmail: changed.email,
                clientIp: at.ip ?? '',
                at: iso(at.nowMs),
              },
            },
          ]
        : receipt('denied')(changed, at)),
    ],
    metric: 'Denials',
    log: 'sponsorship decided',
  },
  /** A sponsor's Renew: active or expired → active until one period from now (bounded: see renewedBounded). */
  sponsorRenew: {
    from: ['active', 'expired'],
    apply: (account, request, at, policy) =>
      afterExpiry(account, at, policy, audited(renewedBounded(account, at, policy), 'access_renewed', request, at)),
    emails: (changed, request, at) => [
      ...toThePerson((person, asked) => ({
        type: 'access_renewed',
        accessExpiresAt: person.accessExpiresAt ?? '',
        sponsorEmail: sponsorOf(asked.actor),
        ...nameOf(person),
      }))(changed, request),
      ...receipt('renewed')(changed, at),
    ],
    event: 'access.renewed',
    metric: 'AccessRenewed',
    log: 'access renewed',
  },
  /** A sponsor's End access: active → revoked. */
  sponsorEnd: {
    from: ['active'],
    apply: (account, request, at) => audited(ended(account, at, request.reason), 'access_ended', request, at),
    emails: (changed, request, at) => [
      ...toThePerson((person, asked) => ({
        type: 'access_ended',
        sponsorEmail: sponsorOf(asked.actor),
        ...reasonOf(person),
        ...nameOf(person),
      }))(changed, request),
      ...receipt('ended')(changed, at),
    ],
    event: 'access.revoked',
    metric: 'AccessEnded',
    log: 'access ended',
  },
  /** An operator's revoke: active → revoked (any kind). */
  operatorRevoke: {
    from: ['active'],
    apply: (account, request, at) => audited(ended(account, at, request.reason), 'access_revoked', request, at),
    emails: toThePerson((changed) => ({ type: 'account_revoked', ...reasonOf(changed), ...nameOf(changed) })),
    event: 'access.revoked',
    metric: 'AccessRevoked',
    log: 'operator: revoke',
  },
  /** A person whose mailbox bounced confirms their address again: suspended → active, as it was. */
  resumeVerified: {
    from: ['suspended'],
    apply: (account, _request, at, policy) => {
      const { suspendedAt: _suspended, suspendedFor: _why, ...kept } = account;
      return restartDormancy(withEvent({ ...kept, status: 'active' }, 'email_verified', 'self', at), at.nowMs, policy.dormancy);
    },
    emails: () => [],
    event: 'access.granted',
    metric: 'Verifications',
    log: 'account resumed: its address confirmed again',
  },
  /** An operator's reinstate: revoked, denied, expired or suspended → active (a contractor gets a new period). */
  operatorReinstate: {
    from: ['revoked', 'denied', 'expired', 'suspended'],
    apply: (account, request, at, policy) => {
      const {
        expiredAt: _expired,
        remindAt: _remind,
        revokedAt: _revoked,
        deniedAt: _denied,
        endReason: _reason,
        suspendedAt: _suspended,
        suspendedFor: _why,
        ...kept
      } = account;
      const reinstated: Account = {
        ...kept,
        status: 'active',
        activatedAt: account.activatedAt ?? iso(at.nowMs),
        ...(account.kind === 'contractor' ? period(at.nowMs, periodOf(request, policy)) : {}),
      };
      return restartDormancy(audited(reinstated, 'access_reinstated', request, at), at.nowMs, policy.dormancy);
    },
    emails: toThePerson((changed) => ({
      type: 'account_reinstated',
      ...(changed.accessExpiresAt ? { accessExpiresAt: changed.accessExpiresAt } : {}),
      ...nameOf(changed),
    })),
    event: 'access.granted',
    metric: 'AccessReinstated',
    log: 'operator: reinstate',
  },
  /** An operator's renew: a contractor's active or expired access, extended as a sponsor's Renew. */
  operatorRenew: {
    from: ['active', 'expired'],
    kinds: ['contractor'],
    apply: (account, request, at, policy) =>
      afterExpiry(account, at, policy, audited(renewed(account, at, periodOf(request, policy)), 'access_renewed', request, at)),
    emails: toThePerson((changed) => ({ type: 'access_renewed', accessExpiresAt: changed.accessExpiresAt ?? '', ...nameOf(changed) })),
    event: 'access.renewed',
    metric: 'AccessRenewed',
    log: 'operator: renew',
  },
} as const satisfies Record<string, AccountChange>;

export type ChangeName = keyof typeof CHANGES;

/** Confirming one's own address, by kind of account, as declared changes. */
export const CONFIRMATIONS: Readonly<Record<AccountKind, AccountChange>> = {
  agency: CHANGES.confirmAgency,
  contractor: CHANGES.confirmContractor,
};

/** A sponsor's decision on a request, as declared changes. */
export const DECISION_CHANGES: Readonly<Record<Decision, AccountChange>> = { approve: CHANGES.sponsorApprove, deny: CHANGES.sponsorDeny };

/** What a sponsor's page offers, as declared changes. */
export const SPONSOR_ACTIONS: Readonly<Record<ManageAction, AccountChange>> = { renew: CHANGES.sponsorRenew, end: CHANGES.sponsorEnd };

/** What an operator may do (docs/design.md §8), as declared changes. */
export type OperatorAction = 'revoke' | 'reinstate' | 'renew';
export const OPERATOR_ACTIONS: Readonly<Record<OperatorAction, AccountChange>> = {
  revoke: CHANGES.operatorRevoke,
  reinstate: CHANGES.operatorReinstate,
  renew: CHANGES.operatorRenew,
};
