import { maskAddress } from '../core/address';
import type { Clock, Log, SponsorDirectory } from '../core/ports';
import { mailboxesOf, type SessionTokens, type SignedIn, type SponsorSession } from '../core/session';
import { untilSettled } from './retry-write';

/**
 * Sessions as they stand: a genuine, current session token whose mailbox has not signed out
 * since it was issued. Sign-out is recorded on the sponsor's record, so it ends the session
 * everywhere (a copied cookie too), at the cost of one read of that record per use.
 */
export class StandingSessions implements SessionTokens {
  constructor(
    private readonly tokens: SessionTokens,
    private readonly sponsors: Pick<SponsorDirectory, 'get'>,
  ) {}

  issue(who: SignedIn, nowMs: number): Promise<{ token: string; session: SponsorSession }> {
    return this.tokens.issue(who, nowMs);
  }

  async check(token: string, nowMs: number): Promise<SponsorSession | undefined> {
    const session = await this.tokens.check(token, nowMs);
    if (!session) return undefined;
    const record = await this.sponsors.get(session.mailbox);
    return record?.signedOutAt !== undefined && record.signedOutAt >= session.issuedAtMs ? undefined : session;
  }
}

/** Ends every session of the mailbox (conditional write on the sponsor's record, made if absent). */
export async function signOut(session: SponsorSession, deps: { sponsors: SponsorDirectory; clock: Clock; log: Log }): Promise<void> {
  const done = await untilSettled(async () => {
    const record = await deps.sponsors.get(session.mailbox);
    const next = { ...(record ?? { mailbox: session.mailbox }), signedOutAt: deps.clock.nowMs(), version: (record?.version ?? -1) + 1 };
    return (await deps.sponsors.put(next, record?.version ?? null)) ? true : undefined;
  });
  deps.log.info(done ? 'sponsor signed out' : 'sign-out lost a race to other writes', { mailbox: maskAddress(session.mailbox) });
}

/** The contractor address of a request, among the requests that named any mailbox the session proves. */
export async function requestEmailOf(
  who: SignedIn,
  requestId: string,
  sponsors: Pick<SponsorDirectory, 'requestOf'>,
): Promise<string | undefined> {
  const found = await Promise.all(mailboxesOf(who).map((mailbox) => sponsors.requestOf(mailbox, requestId)));
  return found.find((email) => email !== undefined);
}
