import type { Account, AccountStatus } from '../core/account';
import { mailboxOf } from '../core/address';
import { SPONSOR_ACTIONS } from '../core/changes';
import { InvalidStateError, InvalidTokenError, NotFoundError } from '../core/errors';
import { type LifecyclePolicy, type ManageAction, statusAt } from '../core/lifecycle';
import { hashLinkToken, linkIdOf } from '../core/link-token';
import { classifyManageLink, type SponsorRecord } from '../core/manage-link';
import type { AccountStore, Clock, Log, Metrics, Notifier, SponsorDirectory } from '../core/ports';
import { changeAccount } from './change-account';
import type { DeliverDeps } from './deliver';
import { type RefusalTexts, refuseLink } from './refuse-link';

export interface ManageDeps extends DeliverDeps {
  readonly events: boolean;
  readonly store: AccountStore;
  readonly sponsors: SponsorDirectory;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly lifecycle: LifecyclePolicy;
}

/** One row of a sponsor's list: never history, token hashes or client addresses. */
export interface SponsoredContractor {
  readonly requestId: string;
  readonly email: string;
  readonly name: string | null;
  readonly company: string;
  readonly status: AccountStatus;
  readonly approvedAt: string | null;
  readonly accessExpiresAt: string | null;
}

const REFUSAL: RefusalTexts = {
  invalid:
    'This management link is not valid. It may have been replaced by a newer one: use the newest link we emailed you, or ask for a new one at /sponsors.',
  expired: 'This management link has expired. Ask for a new one at /sponsors.',
  // A management link has no single piece of work to be done: it is never "done".
  done: () => new InvalidTokenError('This management link is not valid.'),
};

const NOT_FOUND = 'We found no request with that id among the requests that named you as sponsor.';

/** The sponsor a management link stands for, confirmed on their record (the index only finds it). */
async function sponsorOf(token: string, deps: ManageDeps): Promise<SponsorRecord> {
  const linkId = linkIdOf(token);
  if (!linkId) return refuseLink('management', { state: 'invalid' }, REFUSAL, deps);
  const found = await deps.sponsors.findByLinkId(linkId);
  const record = found ? await deps.sponsors.get(found.mailbox) : undefined;
  const link = classifyManageLink(record, linkId, hashLinkToken(token), deps.clock.nowMs());
  if (link.state !== 'ready') return refuseLink('management', link, REFUSAL, deps);
  return link.sponsor;
}

/** Whether the account is the contractor of this sponsor's request, past pending. */
function sponsoredBy(account: Account | undefined, mailbox: string, requestId: string): account is Account {
  return (
    account?.kind === 'contractor' &&
    account.requestId === requestId &&
    account.request !== undefined &&
    mailboxOf(account.request.sponsorEmail) === mailbox &&
    account.status !== 'pending'
  );
}

/**
 * What the management page lists: every contractor whose request named this sponsor and got
 * past pending, newest request first, each with its status as of now. Reads only.
 */
export async function listSponsored(token: string, deps: ManageDeps): Promise<{ sponsor: string; contractors: SponsoredContractor[] }> {
  const sponsor = await sponsorOf(token, deps);
  const rows = await deps.sponsors.requests(sponsor.mailbox);
  const accounts = new Map((await deps.store.getMany(rows.map((row) => row.email))).map((account) => [account.email, account]));
  const nowMs = deps.clock.nowMs();
  const contractors = rows
    .map((row) => ({ row, account: accounts.get(row.email) }))
    .filter((entry): entry is { row: (typeof rows)[number]; account: Account } =>
      sponsoredBy(entry.account, sponsor.mailbox, entry.row.requestId),
    )
    .map(({ account }) => ({
      requestId: account.requestId!,
      email: account.email,
      name: account.name ?? null,
      company: account.request!.company,
      status: statusAt(account, nowMs),
      approvedAt: account.approvedAt ?? null,
      accessExpiresAt: account.accessExpiresAt ?? null,
      requestedAt: account.request!.requestedAt,
    }))
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
    .map(({ requestedAt: _requestedAt, ...row }) => row);
  return { sponsor: sponsor.mailbox, contractors };
}

export interface ManageInput {
  readonly token: string;
  readonly requestId: string;
  readonly action: ManageAction;
  readonly reason?: string;
  readonly clientIp: string;
}

/**
 * A sponsor renews or ends a contractor's access from the management page. Steps:
 * 1. the link must be the sponsor's current one, and the request one that named them (else 404,
 *    the same answer as for a request that does not exist);
 * 2. the declared change runs (use-cases/change-account.ts): it must fit the status as of now
 *    (else 409 `invalid_state` with that status), and is written with its audit entry, the
 *    contractor's email and the sandbox's event in one conditional write.
 */
export async function manageSponsored(input: ManageInput, deps: ManageDeps): Promise<{ status: AccountStatus; accessExpiresAt?: string }> {
  const sponsor = await sponsorOf(input.token, deps);
  const email = await deps.sponsors.requestOf(sponsor.mailbox, input.requestId);
  const next = await changeAccount(
    SPONSOR_ACTIONS[input.action],
    (account) => ({
      actor: { role: 'sponsor', name: account.sponsoredBy ?? sponsor.mailbox, via: 'emailed_link' },
      ...(input.reason ? { reason: input.reason } : {}),
    }),
    {
      find: async () => {
        const account = email ? await deps.store.get(email) : undefined;
        if (!sponsoredBy(account, sponsor.mailbox, input.requestId)) throw new NotFoundError(NOT_FOUND, 'requestId');
        return account;
      },
      refuse: (status) => {
        throw new InvalidStateError(
          input.action === 'end' ? `This access cannot be ended: it is ${status}.` : `This access cannot be renewed: it is ${status}.`,
          status,
        );
      },
      conflict: () => {
        throw new InvalidStateError(
          'Someone else changed this access at the same moment. Reload the page to see where it stands.',
          'changed',
        );
      },
      links: {},
      ip: input.clientIp,
    },
    deps,
  );
  return {
    status: next.status,
    ...(next.status === 'active' && next.accessExpiresAt ? { accessExpiresAt: next.accessExpiresAt } : {}),
  };
}
