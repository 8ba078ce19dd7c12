import { type Account, iso } from '../core/account';
import { touched } from '../core/account-history';
import { mailboxOf, maskAddress } from '../core/address';
import { scheduled, statusAt } from '../core/lifecycle';
import { emailDue, newDeliveryId, superseding } from '../core/outbox';
import type { AccountStore, Clock, Log, Metrics, SponsorDirectory } from '../core/ports';
import { untilSettled } from './retry-write';

export interface SponsorUnreachableDeps {
  readonly sponsors: Pick<SponsorDirectory, 'requests'>;
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

const sponsorOf = (account: Account) => account.sponsoredBy ?? account.request?.sponsorEmail;

/**
 * A sponsor's mailbox bounced permanently. Their contractors keep their access (nobody's access
 * depends on a mailbox but their own); they are told, and so is the operator. Steps:
 * 1. the requests filed under the sponsor's mailbox (one query) and those accounts (one batch read);
 * 2. each active contractor this mailbox sponsors gets a notice, once: its intent written in the
 *    account's outbox (conditional on the version read), due now, for the sweep to send;
 * 3. the operator is told: a warning naming how many, and `SponsorMailboxesGone` (alarmed).
 */
export async function tellSponsoredContractors(address: string, deps: SponsorUnreachableDeps): Promise<number> {
  const mailbox = mailboxOf(address);
  const rows = await deps.sponsors.requests(mailbox);
  if (!rows.length) return 0;
  const sponsored = (await deps.store.getMany(rows.map((row) => row.email))).filter((account) => owed(account, mailbox, deps));
  let told = 0;
  for (const candidate of sponsored) if (await tell(candidate, mailbox, deps)) told++;
  if (told) {
    deps.metrics.count('SponsorMailboxesGone');
    deps.log.warn('security: a sponsor’s mailbox bounced; their active contractors were told', { sponsor: maskAddress(address), told });
  }
  return told;
}

function owed(account: Account, mailbox: string, deps: SponsorUnreachableDeps): boolean {
  const sponsor = sponsorOf(account);
  return (
    account.kind === 'contractor' &&
    statusAt(account, deps.clock.nowMs()) === 'active' &&
    sponsor !== undefined &&
    mailboxOf(sponsor) === mailbox &&
    account.sponsorUnreachableAt === undefined
  );
}

async function tell(candidate: Account, mailbox: string, deps: SponsorUnreachableDeps): Promise<boolean> {
  let account: Account | undefined = candidate;
  const done = await untilSettled(async () => {
    if (!account || !owed(account, mailbox, deps)) return false;
    const nowMs = deps.clock.nowMs();
    const notice = emailDue(
      newDeliveryId(),
      account.email,
      {
        type: 'sponsor_unreachable',
        sponsorEmail: sponsorOf(account) ?? mailbox,
        accessExpiresAt: account.accessExpiresAt ?? '',
        ...(account.name ? { name: account.name } : {}),
      },
      nowMs,
    );
    const next = scheduled(superseding(touched({ ...account, sponsorUnreachableAt: iso(nowMs) }, { nowMs }), notice));
    if (await deps.store.put(next, account.version)) return true;
    account = await deps.store.get(account.email);
    return undefined;
  });
  return done === true;
}
