/**
 * Sponsors prove a mailbox by signing in with an OpenID provider (Login.gov in production, a
 * development stand-in locally). This port is all the use cases see of it.
 */

/** What start() made: the caller keeps state, nonce and codeVerifier until the callback comes back. */
export interface SignInStart {
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface ProvenIdentity {
  readonly sub: string;
  readonly acr?: string;
  /** Addresses the provider vouches for: `email` when `email_verified` is true, and every `all_emails` entry; lower-cased, deduplicated. */
  readonly emails: readonly string[];
}

export interface SignInExpectation {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

export interface IdentityProvider {
  /** Where to send the browser (authorization request with PKCE S256, state, nonce, acr_values, scope). */
  start(redirectUri: string): Promise<SignInStart>;
  /** The callback URL (with its query) checked against what start() made: code exchanged (private_key_jwt), ID token verified (issuer, audience, nonce, signature with the provider's keys), userinfo read for all_emails. */
  finish(callbackUrl: string, expected: SignInExpectation): Promise<ProvenIdentity>;
}

/** The provider or the callback said no (bad or replayed state/code, an error from the provider, a token that does not verify): a person's problem, shown as a page, never a 5xx. */
export class IdentityProofFailed extends Error {
  override readonly name = 'IdentityProofFailed';
}
