import { type EligibilityPolicy, isEligibleDomain, mailboxOf, maskAddress, parseAddress } from '../core/address';
import { ServiceUnavailableError, SignInFailedError } from '../core/errors';
import { IdentityProofFailed, type IdentityProvider } from '../core/identity-provider';
import type { Clock, Log, Metrics } from '../core/ports';
import { describeError } from '../core/redact';
import { type SessionTokens, type SignInTransactions, type SponsorSession, safeNextPath } from '../core/session';

export interface ProviderSignInDeps {
  readonly provider: IdentityProvider;
  readonly transactions: SignInTransactions;
  readonly sessions: SessionTokens;
  readonly policy: EligibilityPolicy;
  readonly clock: Clock;
  readonly log: Log;
  readonly metrics: Metrics;
}

const START_AGAIN = 'This sign-in is out of date or was already used. Start again from the sign-in page.';

/** The provider could not be reached or answered nonsense: nothing was decided; try again shortly. */
function unavailable(error: unknown): never {
  if (error instanceof IdentityProofFailed) throw new SignInFailedError(`The sign-in service did not confirm who you are. ${START_AGAIN}`);
  throw new ServiceUnavailableError('The sign-in service is not answering. Try again in a minute.', 30, describeError(error));
}

/**
 * `GET /sign-in` with a provider: the authorization request (PKCE, state, nonce) and the sealed
 * transaction the callback must match, kept by the browser in a cookie of its own.
 */
export async function startProviderSignIn(
  next: string | undefined,
  redirectUri: string,
  deps: Pick<ProviderSignInDeps, 'provider' | 'transactions' | 'clock'>,
): Promise<{ url: string; sealed: string }> {
  const started = await deps.provider.start(redirectUri).catch(unavailable);
  const sealed = await deps.transactions.seal(
    { state: started.state, nonce: started.nonce, codeVerifier: started.codeVerifier, next: safeNextPath(next) },
    deps.clock.nowMs(),
  );
  return { url: started.url, sealed };
}

/**
 * `GET /auth/callback`. Steps:
 * 1. the browser's sealed transaction must be genuine and current (a callback without it — a
 *    replay, another browser — is refused);
 * 2. the provider's answer is checked against it (state, PKCE, nonce, the ID token's issuer,
 *    audience and signature) and the addresses it vouches for are read;
 * 3. the session proves those addresses' mailboxes, named by the first that could sponsor anyone.
 */
export async function finishProviderSignIn(
  callbackUrl: string,
  sealed: string | undefined,
  redirectUri: string,
  deps: ProviderSignInDeps,
): Promise<{ token: string; session: SponsorSession; next: string }> {
  const transaction = sealed ? await deps.transactions.open(sealed, deps.clock.nowMs()) : undefined;
  if (!transaction) {
    deps.log.warn('security: sign-in callback without its transaction', {});
    deps.metrics.count('TokenFailures', { purpose: 'sign-in', reason: 'invalid' });
    throw new SignInFailedError(START_AGAIN);
  }
  const identity = await deps.provider.finish(callbackUrl, { ...transaction, redirectUri }).catch(unavailable);
  const addresses = identity.emails.flatMap((email) => {
    const parsed = parseAddress(email);
    return parsed.ok ? [parsed.address] : [];
  });
  const eligible = addresses
    .filter((address) => isEligibleDomain(address.domain, deps.policy))
    .map((address) => mailboxOf(address.canonical));
  const mailboxes = [...new Set(eligible)];
  if (!mailboxes.length) {
    deps.log.info('sign-in refused: no address that could sponsor', { sub: identity.sub.slice(0, 8) });
    throw new SignInFailedError(
      'The account you signed in with has no .gov or .mil email address. Sponsors sign in with their agency address.',
    );
  }
  const [mailbox, ...also] = mailboxes as [string, ...string[]];
  deps.metrics.count('SignIns', { method: 'oidc' });
  deps.log.info('sponsor signed in', { mailbox: maskAddress(mailbox), method: 'oidc' });
  const issued = await deps.sessions.issue(
    { mailbox, ...(also.length ? { also } : {}), method: 'oidc', sub: identity.sub, ...(identity.acr ? { acr: identity.acr } : {}) },
    deps.clock.nowMs(),
  );
  return { ...issued, next: transaction.next };
}
