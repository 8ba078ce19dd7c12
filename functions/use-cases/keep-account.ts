import { type Account, iso, type LinkState, seconds } from '../core/account';
import { CHANGES, SELF } from '../core/changes';
import { InvalidStateError } from '../core/errors';
import { hashLinkToken, linkIdOf } from '../core/link-token';
import { linkBase } from '../service/links';
import { type ChangeDeps, changeAccount } from './change-account';
import { type RefusalTexts, refuseLink } from './refuse-link';

export type KeepDeps = ChangeDeps;

const REFUSAL: RefusalTexts = {
  invalid:
    'This link does not work any more: it was used already, or a newer email replaced it. An account kept once stays open: nothing more to do.',
  expired: 'This link has expired: the account it was for has closed. Sign up again to use the sandbox.',
  done: (status) => new InvalidStateError(`This account is no longer open (${status}). Sign up again to use the sandbox.`, status),
};

/** A "keep my account" link against the account its link id names: one of its newest, for an account still open. */
function classifyKeep(account: Account | undefined, hash: string, nowMs: number): LinkState {
  const link = account?.keepLinks?.find((candidate) => candidate.hash === hash);
  if (!account || !link) return { state: 'invalid' };
  if (account.status !== 'active') return { state: 'done', status: account.status };
  if (seconds(nowMs) >= link.expiresAt) return { state: 'expired' };
  return { state: 'ready', account };
}

async function lookUp(token: string, deps: KeepDeps, email?: string): Promise<Account> {
  const linkId = linkIdOf(token);
  const found = email ? await deps.store.get(email) : linkId ? await deps.store.findByLinkId(linkId) : undefined;
  let account = found;
  let link = classifyKeep(account, hashLinkToken(token), deps.clock.nowMs());
  // An index copy can be behind its item: a refusal is confirmed on the item.
  if (found && !email && link.state !== 'ready') {
    account = await deps.store.get(found.email);
    link = classifyKeep(account, hashLinkToken(token), deps.clock.nowMs());
  }
  // An expired link was matched by its hash: its holder may be named on its page.
  if (link.state !== 'ready') return refuseLink('keep', link, REFUSAL, deps, link.state === 'expired' ? account : undefined);
  return link.account;
}

/** What `GET /keep` shows before the button: whose account, and when it would close. Reads only: mail scanners open every link. */
export async function inspectKeep(token: string, deps: KeepDeps): Promise<{ email: string; dormantAt: string }> {
  const account = await lookUp(token, deps);
  return { email: account.email, dormantAt: iso((account.dormantAt ?? 0) * 1000) };
}

/**
 * The person keeps their account (`POST /keep`, the warning email's button). Steps:
 * 1. the link must be one of the account's newest, unexpired, for an account still active;
 * 2. the dormancy clock starts again now (the declared change: audit entry by `self`), the links
 *    used up; a lost race re-reads and decides again.
 */
export async function keepAccount(
  input: { token: string; clientIp: string; baseUrl: string },
  deps: KeepDeps,
): Promise<{ dormantAt: string }> {
  let email: string | undefined;
  const kept = await changeAccount(
    CHANGES.keepAccount,
    { actor: SELF },
    {
      find: async () => {
        const account = await lookUp(input.token, deps, email);
        email = account.email;
        return account;
      },
      refuse: (status) => refuseLink('keep', { state: 'done', status }, REFUSAL, deps),
      conflict: () => refuseLink('keep', { state: 'conflict' }, REFUSAL, deps),
      links: linkBase(input.baseUrl),
      ip: input.clientIp,
    },
    deps,
  );
  return { dormantAt: iso((kept.dormantAt ?? 0) * 1000) };
}
