import { classifyVerification, confirmEmail, type AccountStatus, type LinkState } from '../core/account';
import { maskAddress } from '../core/address';
import { AlreadyVerifiedError, ExpiredTokenError, InvalidTokenError } from '../core/errors';
import { hashLinkToken, isLinkTokenShaped } from '../core/link-token';
import type { AccountStore, Clock, Log } from '../core/ports';

export interface VerifyDeps {
  readonly store: AccountStore;
  readonly clock: Clock;
  readonly log: Log;
}

const INVALID = 'This link is not valid. It may have been replaced by a newer link. Request a new link from the sign-up page.';
const EXPIRED = 'This link has expired. Request a new link from the sign-up page.';
const DONE = 'This email address is already confirmed. Nothing more to do.';

async function lookUp(token: string, deps: VerifyDeps): Promise<{ link: LinkState; hash: string }> {
  if (!isLinkTokenShaped(token)) return { link: { state: 'invalid' }, hash: '' };
  const hash = hashLinkToken(token);
  const account = await deps.store.findByVerifyTokenHash(hash);
  return { link: classifyVerification(account, hash, deps.clock.nowMs()), hash };
}

/** What the link behind `GET /verify` stands for. Reads only: mail scanners open every link. */
export async function inspectVerification(
  token: string,
  deps: VerifyDeps,
): Promise<{ state: 'ready' } | { state: 'done'; status: AccountStatus }> {
  const { link } = await lookUp(token, deps);
  if (link.state === 'ready') return { state: 'ready' };
  if (link.state === 'done') return link;
  deps.log.warn('security: verification link refused on view', { reason: link.state });
  throw link.state === 'expired' ? new ExpiredTokenError(EXPIRED) : new InvalidTokenError(INVALID);
}

/**
 * The person's click on the confirmation page. Steps:
 * 1. find the account by the token's hash (index read) and classify the link;
 * 2. write pending → next conditionally on the version read;
 * 3. if that write lost, re-read consistently and classify again: of N concurrent uses exactly
 *    one wins and the rest see the work done (409).
 */
export async function confirmVerification(
  token: string,
  clientIp: string,
  deps: VerifyDeps,
): Promise<{ status: AccountStatus; email: string }> {
  let { link, hash } = await lookUp(token, deps);
  for (let attempt = 0; attempt < 2 && link.state === 'ready'; attempt++) {
    const next = confirmEmail(link.account, { nowMs: deps.clock.nowMs(), ip: clientIp });
    if (await deps.store.put(next, link.account.version)) {
      deps.log.info('email verified', { recipient: maskAddress(next.email), status: next.status });
      return { status: next.status, email: next.email };
    }
    link = classifyVerification(await deps.store.get(link.account.email), hash, deps.clock.nowMs());
  }
  deps.log.warn('security: verification link refused', { reason: link.state });
  if (link.state === 'done') throw new AlreadyVerifiedError(DONE);
  if (link.state === 'expired') throw new ExpiredTokenError(EXPIRED);
  throw new InvalidTokenError(INVALID);
}
