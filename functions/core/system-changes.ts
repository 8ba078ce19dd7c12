import { type Account, iso, LIVE_LINKS, type SuspendReason } from './account';
import { withEvent } from './account-history';
import { type AccountChange, nameOf, sponsorOfAccount, toThePerson } from './change-parts';
import { restartDormancy } from './dormancy';
import { expire, reminded, scheduled } from './lifecycle';

/**
 * The changes the service makes by itself (the sweep, the feedback function): reminders and
 * notices, the ends of periods, requests and dormant accounts, suspensions. Declared like every
 * change (change-parts.ts), run by the same executor.
 */

/** An active account suspended by the service, for a reason; the sandbox is told, nobody is emailed. */
function suspension(reason: SuspendReason, log: string): AccountChange {
  return {
    from: ['active'],
    apply: (account, _request, at) => {
      const { remindAt: _remind, ...kept } = account;
      return withEvent(
        { ...kept, status: 'suspended', suspendedAt: iso(at.nowMs), suspendedFor: reason },
        'account_suspended',
        'system',
        at,
      );
    },
    emails: () => [],
    event: 'access.suspended',
    metric: 'AccountsSuspended',
    log,
  };
}

/** What a dormant account's person is told: the account ended, and how to come back. */
const dormantEmail = toThePerson((changed) => ({ type: 'account_dormant', contractor: changed.kind === 'contractor', ...nameOf(changed) }));

export const SYSTEM_CHANGES = {
  /**
   * The sponsor is reminded that a contractor's period ends soon (the sweep batches a run's
   * reminders per sponsor), and the contractor is told when it ends and who can renew it.
   */
  remind: {
    from: ['active'],
    kinds: ['contractor'],
    apply: (account, _request, at) => reminded(account, at),
    emails: (changed) => [
      {
        to: sponsorOfAccount(changed),
        email: {
          type: 'renewal_reminder',
          contractors: [
            {
              ...nameOf(changed),
              email: changed.email,
              company: changed.request?.company ?? '',
              accessExpiresAt: changed.accessExpiresAt ?? '',
            },
          ],
        },
      },
      {
        to: changed.email,
        email: {
          type: 'access_ending',
          accessExpiresAt: changed.accessExpiresAt ?? '',
          sponsorEmail: sponsorOfAccount(changed),
          ...nameOf(changed),
        },
      },
    ],
    log: 'renewal reminder owed',
  },
  /** The end of a contractor's access period, by the sweep: active past its end → expired. */
  expire: {
    from: ['expired'],
    kinds: ['contractor'],
    apply: (account, _request, at) => expire(account, at),
    emails: toThePerson((changed) => ({
      type: 'access_expired',
      sponsorEmail: sponsorOfAccount(changed),
      ...nameOf(changed),
    })),
    event: 'access.expired',
    metric: 'AccessExpired',
    log: 'access expired',
  },
  /** A request whose approval link expired undecided ends (by the sweep); the contractor may ask again at once. */
  noDecision: {
    from: ['awaiting_sponsor'],
    kinds: ['contractor'],
    apply: (account, _request, at) => scheduled(withEvent({ ...account, status: 'no_decision' }, 'request_undecided', 'system', at)),
    emails: toThePerson((changed) => ({ type: 'no_decision', sponsorEmail: sponsorOfAccount(changed), ...nameOf(changed) })),
    metric: 'RequestsUndecided',
    log: 'request undecided: the approval link expired',
  },
  /**
   * The sweep suspends an active account whose domain left the .gov registry. Nobody is emailed:
   * mail to a domain that is gone bounces, and bounces cost the service its sending reputation.
   */
  suspendDeregistered: suspension('domain_deregistered', 'account suspended: its domain left the .gov registry'),
  /** A permanent bounce from an active account's own mailbox suspends it (nobody to email: the mailbox is gone). */
  suspendUndeliverable: suspension('mailbox_undeliverable', 'account suspended: its mailbox bounced permanently'),
  /**
   * A dormancy warning: the account ends on its `dormantAt` unless the person keeps it (the
   * email's button) or, where the sandbox reports activity, uses the sandbox. Not a change of
   * standing: no event (its audit entry records the warning, as a reminder's does).
   */
  warnDormant: {
    from: ['active'],
    apply: (account, request, at) => {
      const now = Math.floor(at.nowMs / 1000);
      const keepLinks = request.keepLink ? [...(account.keepLinks ?? []), request.keepLink].slice(-LIVE_LINKS) : account.keepLinks;
      const next: Account = {
        ...account,
        dormancyWarnings: (account.dormancyWarnings ?? []).filter((warning) => warning > now),
        ...(keepLinks ? { keepLinks } : {}),
      };
      return scheduled(withEvent(next, 'dormancy_warning_sent', 'system', at));
    },
    emails: toThePerson((changed, request) => ({
      type: 'dormancy_warning',
      dormantAt: iso((changed.dormantAt ?? 0) * 1000),
      byActivity: request.dormancy === 'activity',
      ...nameOf(changed),
    })),
    metric: 'DormancyWarnings',
    log: 'dormancy warning owed',
  },
  /** A dormant account ends: active → expired (reason `inactive`, by `system`); the person is told how to come back. */
  expireDormant: {
    from: ['active'],
    apply: (account, _request, at) => {
      const { dormantAt: _end, dormancyWarnings: _warnings, keepLinks: _links, remindAt: _remind, ...rest } = account;
      const expired: Account = { ...rest, status: 'expired', expiredAt: iso(at.nowMs), endReason: 'inactive' };
      return scheduled(withEvent(expired, 'access_expired_inactive', 'system', at));
    },
    emails: dormantEmail,
    event: 'access.expired',
    metric: 'AccountsDormant',
    log: 'account dormant: expired',
  },
} as const satisfies Record<string, AccountChange>;

/** The person keeps their account by the warning's button: the dormancy clock starts again now. */
export const KEEP_ACCOUNT: AccountChange = {
  from: ['active'],
  apply: (account, _request, at, policy) =>
    withEvent({ ...restartDormancy(account, at.nowMs, policy.dormancy), keptAt: iso(at.nowMs) }, 'account_kept', 'self', at),
  emails: () => [],
  metric: 'AccountsKept',
  log: 'account kept by its owner',
};
