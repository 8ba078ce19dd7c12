import type { Account, AccountStatus } from '../core/account';
import { mailboxOf } from '../core/address';
import { byOf, SPONSOR_ACTIONS, sponsorActor } from '../core/changes';
import { InvalidStateError, NotFoundError, SignInRequiredError } from '../core/errors';
import { endOf, type LifecyclePolicy, type ManageAction, statusAt } from '../core/lifecycle';
import type { AccountStore, Clock, Log, Metrics, Notifier, SponsorDirectory } from '../core/ports';
import type { Agency } from '../core/registry';
import { mailboxesOf, type SponsorSession } from '../core/session';
import { linkBase } from '../service/links';
import { changeAccount } from './change-account';
import type { DeliverDeps } from './deliver';
import { requestEmailOf } from './sponsor-sessions';

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
  /** The agency the request was made under (the sponsor's, from the .gov registry); null on records older than it. */
  readonly agency: Agency | null;
  readonly status: AccountStatus;
  readonly approvedAt: string | null;
  readonly accessExpiresAt: string | null;
}

const NOT_FOUND = 'We found no request with that id among the requests that named you as sponsor.';

function signedIn(session: SponsorSession | undefined): SponsorSession {
  if (!session) throw new SignInRequiredError('Sign in as the sponsor to see and manage the contractors you sponsor.');
  return session;
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
export async function listSponsored(
  session: SponsorSession | undefined,
  deps: ManageDeps,
): Promise<{ sponsor: string; contractors: SponsoredContractor[] }> {
  const sponsor = signedIn(session);
  const mailboxes = mailboxesOf(sponsor);
  const rows = (await Promise.all(mailboxes.map((mailbox) => deps.sponsors.requests(mailbox)))).flat();
  const accounts = new Map((await deps.store.getMany(rows.map((row) => row.email))).map((account) => [account.email, account]));
  const nowMs = deps.clock.nowMs();
  const contractors = rows
    .map((row) => ({ row, account: accounts.get(row.email) }))
    .filter((entry): entry is { row: (typeof rows)[number]; account: Account } =>
      mailboxes.some((mailbox) => sponsoredBy(entry.account, mailbox, entry.row.requestId)),
    )
    .map(({ account }) => ({
      requestId: account.requestId!,
      email: account.email,
      name: account.name ?? null,
      company: account.request!.company,
      agency: account.agency ?? null,
      // A request for another sponsor waits for this sponsor's decision (the access stands meanwhile).
      status: account.transferPending ? 'awaiting_sponsor' : statusAt(account, nowMs),
      approvedAt: account.approvedAt ?? null,
      accessExpiresAt: account.accessExpiresAt ?? null,
      requestedAt: account.request!.requestedAt,
    }))
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
    .map(({ requestedAt: _requestedAt, ...row }) => row);
  return { sponsor: sponsor.mailbox, contractors };
}

/** One of the session's sponsor's contractors, by request id (for the page that asks before End access); 404 otherwise. */
export async function sponsoredContractor(
  session: SponsorSession,
  requestId: string,
  deps: ManageDeps,
): Promise<{ email: string; name: string | null }> {
  const mailboxes = mailboxesOf(session);
  const email = await requestEmailOf(session, requestId, deps.sponsors);
  const account = email ? await deps.store.get(email) : undefined;
  if (!account || !mailboxes.some((mailbox) => sponsoredBy(account, mailbox, requestId))) throw new NotFoundError(NOT_FOUND, 'requestId');
  return { email: account.email, name: account.name ?? null };
}

export interface ManageInput {
  readonly session?: SponsorSession;
  readonly requestId: string;
  readonly action: ManageAction;
  readonly reason?: string;
  readonly clientIp: string;
  /** Where the emails' dashboard links point (the service's origin for this request). */
  readonly baseUrl?: string;
  /**
   * The access end the page showed when the sponsor chose Renew: when the access no longer ends
   * then, that renewal has been made already (a double click, a second tab) and nothing changes.
   */
  readonly seen?: string;
}

/** How long after a sponsor's Renew the same sponsor's Renew is taken for its retry (an answer lost, a Retry-After waited). */
const RETRY_WINDOW_MS = 60_000;

/**
 * Whether a Renew would change nothing: the page's renewal was made already (the access no
 * longer ends when the page showed), the newest change is this sponsor's own Renew within the
 * retry window (a retry without a page state, after its answer was lost), or the access already
 * ends a full period from now (within a minute, or a hundredth of the period: two clicks without
 * a page state give what one gives).
 */
function isRenewed(account: Account, seen: string | undefined, nowMs: number, policy: LifecyclePolicy, by: string): boolean {
  if (seen !== undefined && account.accessExpiresAt !== seen) return true;
  const newest = account.history.at(-1);
  if (newest?.event === 'access_renewed' && newest.by === by && nowMs - Date.parse(newest.at) < RETRY_WINDOW_MS) return true;
  const slack = Math.min(60_000, policy.accessSeconds * 10);
  return (endOf(account) ?? 0) >= nowMs + policy.accessSeconds * 1000 - slack;
}

/** The renewal this page asked for is already made: the standing access is the answer. */
class AlreadyRenewed {
  constructor(readonly account: Account) {}
}

/**
 * A sponsor renews or ends a contractor's access from their dashboard. Steps:
 * 1. a sponsor session is required (401), and the request must be one that named them (else 404,
 *    the same answer as for a request that does not exist); a renewal the page already made
 *    changes nothing (`seen`);
 * 2. the declared change runs (use-cases/change-account.ts): it must fit the status as of now
 *    (else 409 `invalid_state` with that status), and is written with its audit entry, the
 *    contractor's email and the sandbox's event in one conditional write.
 */
export async function manageSponsored(
  input: ManageInput,
  deps: ManageDeps,
): Promise<{ status: AccountStatus; accessExpiresAt?: string; endedAt?: string; unchanged?: true }> {
  const sponsor = signedIn(input.session);
  const mailboxes = mailboxesOf(sponsor);
  const email = await requestEmailOf(sponsor, input.requestId, deps.sponsors);
  const actorFor = (account: Account) => sponsorActor(sponsor, mailboxOf(account.request?.sponsorEmail ?? sponsor.mailbox));
  const next = await changeAccount(
    SPONSOR_ACTIONS[input.action],
    (account) => ({
      actor: actorFor(account),
      ...(input.reason ? { reason: input.reason } : {}),
    }),
    {
      find: async () => {
        const account = email ? await deps.store.get(email) : undefined;
        if (!mailboxes.some((mailbox) => sponsoredBy(account, mailbox, input.requestId))) {
          throw new NotFoundError(NOT_FOUND, 'requestId');
        }
        const nowMs = deps.clock.nowMs();
        // Not theirs to renew or end until they have approved it.
        if (account!.transferPending) throw new InvalidStateError('Decide this request first: approve or deny it.', 'awaiting_sponsor');
        const standing = statusAt(account!, nowMs);
        if (
          input.action === 'renew' &&
          standing === 'active' &&
          isRenewed(account!, input.seen, nowMs, deps.lifecycle, byOf(actorFor(account!)))
        ) {
          throw new AlreadyRenewed(account!);
        }
        return account!;
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
      links: linkBase(input.baseUrl),
      ip: input.clientIp,
    },
    deps,
  ).catch((error: unknown) => {
    if (error instanceof AlreadyRenewed) return { unchanged: true as const, ...error.account };
    throw error;
  });
  return {
    status: next.status,
    ...('unchanged' in next ? { unchanged: true } : {}),
    ...(next.status === 'active' && next.accessExpiresAt ? { accessExpiresAt: next.accessExpiresAt } : {}),
    ...(next.status === 'revoked' && next.revokedAt ? { endedAt: next.revokedAt } : {}),
  };
}
