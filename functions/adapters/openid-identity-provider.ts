import { importJWK, type JWK } from 'jose';
import {
  AuthorizationResponseError,
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  type ClientAuth,
  ClientError,
  type Configuration,
  calculatePKCECodeChallenge,
  discovery,
  enableNonRepudiationChecks,
  fetchUserInfo,
  modifyAssertion,
  PrivateKeyJwt,
  ResponseBodyError,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import {
  IdentityProofFailed,
  type IdentityProvider,
  type ProvenIdentity,
  type SignInExpectation,
  type SignInStart,
} from '../core/identity-provider';

/** The client's private signing key as a JWK; `kid` is what the provider finds the registered public key by. */
export type ClientPrivateJwk = JWK & { readonly kid: string; readonly alg: string };

export interface OpenIdIdentityProviderOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** Asked at every token request, so a rotated key is used without a restart (the loader caches). */
  readonly privateKey: () => Promise<ClientPrivateJwk>;
  readonly acrValues?: string;
  readonly scope?: string;
  /** Per request to the provider. Default 3: a sign-in makes up to three, and the function has 10 s. */
  readonly timeoutSeconds?: number;
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

// Answers that mean this sign-in cannot be trusted (a bad, replayed or foreign callback, a token that
// does not verify), as opposed to the provider being unreachable or broken, which the caller maps to 503.
const PROOF_CODES = new Set([
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
]);

function asProofFailure(error: unknown): unknown {
  const refused =
    error instanceof AuthorizationResponseError ||
    ((error instanceof ResponseBodyError || error instanceof WWWAuthenticateChallengeError) && error.status < 500) ||
    (error instanceof ClientError && error.code !== undefined && PROOF_CODES.has(error.code));
  return refused ? new IdentityProofFailed((error as Error).message, { cause: error }) : error;
}

/** Addresses vouched for by any of the claim sets: a verified `email`, and every `all_emails` entry. */
function vouchedEmails(...claimSets: readonly Record<string, unknown>[]): string[] {
  const emails = new Set<string>();
  for (const claims of claimSets) {
    if (claims.email_verified === true && typeof claims.email === 'string') emails.add(claims.email.toLowerCase());
    if (Array.isArray(claims.all_emails)) {
      for (const email of claims.all_emails) if (typeof email === 'string') emails.add(email.toLowerCase());
    }
  }
  return [...emails];
}

/**
 * OpenID Connect sign-in the way Login.gov requires it: authorization code with PKCE (S256),
 * state, nonce and acr_values; private_key_jwt at the token endpoint; the ID token's signature
 * checked against the provider's JWKS (openid-client skips that by default for tokens fetched
 * over TLS); `all_emails` read from userinfo, which is where Login.gov puts it.
 */
export class OpenIdIdentityProvider implements IdentityProvider {
  private configuration: Promise<Configuration> | undefined;

  constructor(private readonly options: OpenIdIdentityProviderOptions) {}

  async start(redirectUri: string): Promise<SignInStart> {
    const config = await this.configured();
    const state = randomState();
    const nonce = randomNonce();
    const codeVerifier = randomPKCECodeVerifier();
    const url = buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: this.options.scope ?? 'openid email all_emails',
      acr_values: this.options.acrValues ?? 'urn:acr.login.gov:auth-only',
      state,
      nonce,
      code_challenge: await calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  async finish(callbackUrl: string, expected: SignInExpectation): Promise<ProvenIdentity> {
    const config = await this.configured();
    // Only the callback's query is taken: the token request must repeat the redirect_uri that start()
    // sent, whatever host name a proxy showed this function.
    const current = new URL(expected.redirectUri);
    current.search = new URL(callbackUrl, expected.redirectUri).search;
    try {
      const tokens = await authorizationCodeGrant(config, current, {
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        pkceCodeVerifier: expected.codeVerifier,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new IdentityProofFailed('the token response carried no ID token');
      // Passing the ID token's sub makes openid-client refuse a userinfo answer about anyone else.
      const userInfo = await fetchUserInfo(config, tokens.access_token, idToken.sub);
      return {
        sub: idToken.sub,
        ...(typeof idToken.acr === 'string' ? { acr: idToken.acr } : {}),
        emails: vouchedEmails(idToken, userInfo),
      };
    } catch (error) {
      throw asProofFailure(error);
    }
  }

  /** Discovery once per process, on first use; a failure is not kept, so the next sign-in tries again. */
  private configured(): Promise<Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  private discover(): Promise<Configuration> {
    const { issuer, clientId } = this.options;
    const execute = [enableNonRepudiationChecks];
    // openid-client refuses plain http; the local stand-in on loopback is the one place it is allowed.
    if (LOOPBACK_HTTP.test(issuer)) execute.push(allowInsecureRequests);
    return discovery(new URL(issuer), clientId, { token_endpoint_auth_method: 'private_key_jwt' }, this.clientAuth(), {
      execute,
      timeout: this.options.timeoutSeconds ?? 3,
    });
  }

  private clientAuth(): ClientAuth {
    return async (server, client, body, headers) => {
      const jwk = await this.options.privateKey();
      const key = await importJWK(jwk, jwk.alg);
      if (!(key instanceof CryptoKey)) throw new TypeError('The OpenID client key must be an asymmetric private JWK');
      // Login.gov asks for the token endpoint as the assertion's audience; openid-client would send the issuer.
      const assertion = PrivateKeyJwt(
        { key, kid: jwk.kid },
        {
          [modifyAssertion]: (_header, payload) => {
            payload.aud = server.token_endpoint;
          },
        },
      );
      await assertion(server, client, body, headers);
    };
  }
}
