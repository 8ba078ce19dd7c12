import type { Account, AccountStatus } from '../core/account';
import { mailboxOf, maskAddress } from '../core/address';
import { InvalidStateError, InvalidTokenError, NotFoundError } from '../core/errors';
import { type LifecyclePolicy, type ManageAction, manage, mayManage, scheduled, statusAt } from '../core/lifecycle';
import { hashLinkToken, linkIdOf } from '../core/link-token';
import { classifyManageLink, type SponsorRecord } from '../core/manage-link';
import { accessEvent, type Delivery, emailNow, eventLater, newDeliveryId, withDeliveries } from '../core/outbox';
import type { AccountStore, Clock, Log, Metrics, Notifier, SponsorDirectory } from '../core/ports';
import { type DeliverDeps, sendNow } from './deliver';
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
 * 2. the action must fit the status as of now (else 409 `invalid_state` with that status);
 * 3. write the change and its audit entry conditionally on the version read; a lost race
 *    re-reads and decides again, so of N concurrent identical clicks exactly one changes anything;
 * 4. the write holds the contractor's email and the sandbox's event; the email goes right after.
 */
export async function manageSponsored(input: ManageInput, deps: ManageDeps): Promise<{ status: AccountStatus; accessExpiresAt?: string }> {
  const sponsor = await sponsorOf(input.token, deps);
  const email = await deps.sponsors.requestOf(sponsor.mailbox, input.requestId);
  let account = email ? await deps.store.get(email) : undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!sponsoredBy(account, sponsor.mailbox, input.requestId)) throw new NotFoundError(NOT_FOUND, 'requestId');
    const nowMs = deps.clock.nowMs();
    if (!mayManage(account, input.action, nowMs)) {
      const status = statusAt(account, nowMs);
      throw new InvalidStateError(
        input.action === 'end' ? `This access cannot be ended: it is ${status}.` : `This access cannot be renewed: it is ${status}.`,
        status,
      );
    }
    const by = account.sponsoredBy ?? sponsor.mailbox;
    const changed = manage(account, input.action, by, { nowMs, ip: input.clientIp }, deps.lifecycle, input.reason);
    const email = tellContractor(changed, by, nowMs, deps);
    const event = accessEvent(input.action === 'renew' ? 'access.renewed' : 'access.revoked', changed, `sponsor:${by}`, nowMs);
    const next = scheduled(withDeliveries(changed, [email, ...(deps.events ? [eventLater(newDeliveryId(), event, nowMs)] : [])]));
    if (await deps.store.put(next, account.version)) {
      deps.log.info(input.action === 'renew' ? 'access renewed' : 'access ended', { contractor: maskAddress(next.email) });
      deps.metrics.count(input.action === 'renew' ? 'AccessRenewed' : 'AccessEnded');
      await sendNow(next, [email.id], { base: {} }, deps.notifier, deps);
      return {
        status: next.status,
        ...(next.status === 'active' && next.accessExpiresAt ? { accessExpiresAt: next.accessExpiresAt } : {}),
      };
    }
    account = await deps.store.get(account.email);
  }
  throw new InvalidStateError('Someone else changed this access at the same moment. Reload the page to see where it stands.', 'changed');
}

/** The contractor hears what their sponsor did. */
function tellContractor(account: Account, sponsor: string, nowMs: number, deps: ManageDeps): Delivery {
  const name = account.name ? { name: account.name } : {};
  return emailNow(
    newDeliveryId(),
    account.email,
    account.status === 'active'
      ? { type: 'access_renewed', accessExpiresAt: account.accessExpiresAt ?? '', sponsorEmail: sponsor, ...name }
      : { type: 'access_ended', sponsorEmail: sponsor, ...(account.endReason ? { reason: account.endReason } : {}), ...name },
    nowMs,
    deps.delivery,
  );
}
