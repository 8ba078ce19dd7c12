import { seconds } from '../core/account';
import { hashLinkToken, linkIdOf, newLinkToken } from '../core/link-token';
import { type SponsorRecord, withNewLink } from '../core/manage-link';
import type { Clock, SponsorDirectory } from '../core/ports';
import { untilSettled } from './retry-write';

export interface IssueDeps {
  readonly sponsors: SponsorDirectory;
  readonly clock: Clock;
  readonly sponsorLinkTtlSeconds: number;
}

/**
 * A new management link for a sponsor's mailbox; it replaces the one before. Only its hash is
 * written (conditionally on the record read; a concurrent issue re-reads). Returns the raw
 * token for the email, or nothing when it kept losing races (the winner's email carries a link).
 */
export async function issueManageLink(
  mailbox: string,
  known: SponsorRecord | undefined,
  deps: IssueDeps,
): Promise<{ token: string; expiresAt: number } | undefined> {
  let record = known;
  return untilSettled(async () => {
    const token = newLinkToken();
    const expiresAt = seconds(deps.clock.nowMs()) + deps.sponsorLinkTtlSeconds;
    const next = withNewLink(record, mailbox, { id: linkIdOf(token)!, hash: hashLinkToken(token), expiresAt });
    if (await deps.sponsors.put(next, record?.version ?? null)) return { token, expiresAt };
    record = await deps.sponsors.get(mailbox);
    return undefined;
  });
}
