import { randomBytes } from 'node:crypto';
import type { SessionTokens, SignedIn, SignInMethod, SignInTransaction, SignInTransactions, SponsorSession } from '../core/session';
import { type Purpose, signFor, verifiedFor } from './jose-signed';
import type { KeyLoader } from './signing-keys';

const METHODS: readonly SignInMethod[] = ['oidc', 'emailed_code'];

/** Sponsor sessions as JWTs of purpose `session`: the mailbox (`sub`), the method, and (OIDC) the provider's `sub` and `acr`. */
export class JoseSessionTokens implements SessionTokens {
  private readonly purpose: Purpose;

  constructor(
    private readonly keys: KeyLoader,
    ttlSeconds: number,
  ) {
    this.purpose = { typ: 'sandbox-session+jwt', audience: 'sandbox-gatekeeper:sponsor-session', ttlSeconds };
  }

  async issue(who: SignedIn, nowMs: number): Promise<{ token: string; session: SponsorSession }> {
    const sid = randomBytes(16).toString('base64url');
    const claims = {
      sub: who.mailbox,
      jti: sid,
      amr: who.method,
      iat_ms: nowMs,
      ...(who.also?.length ? { also: [...who.also] } : {}),
      ...(who.sub ? { idp_sub: who.sub } : {}),
      ...(who.acr ? { acr: who.acr } : {}),
    };
    const { token, expiresAt } = await signFor(this.keys, this.purpose, claims, nowMs);
    return { token, session: { ...who, sid, issuedAtMs: nowMs, expiresAt } };
  }

  async check(token: string, nowMs: number): Promise<SponsorSession | undefined> {
    const claims = await verifiedFor(this.keys, this.purpose, token, nowMs);
    const method = METHODS.find((known) => known === claims?.amr);
    if (
      !claims ||
      !method ||
      typeof claims.sub !== 'string' ||
      typeof claims.jti !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat_ms !== 'number'
    ) {
      return undefined;
    }
    return {
      mailbox: claims.sub,
      method,
      ...(Array.isArray(claims.also) && claims.also.every((item) => typeof item === 'string') ? { also: claims.also as string[] } : {}),
      ...(typeof claims.idp_sub === 'string' ? { sub: claims.idp_sub } : {}),
      ...(typeof claims.acr === 'string' ? { acr: claims.acr } : {}),
      sid: claims.jti,
      issuedAtMs: claims.iat_ms,
      expiresAt: claims.exp,
    };
  }
}

/** OIDC sign-ins in progress as JWTs of purpose `sign-in`, ten minutes: state, nonce, PKCE verifier, where to go after. */
export class JoseSignInTransactions implements SignInTransactions {
  private readonly purpose: Purpose = { typ: 'sandbox-sign-in+jwt', audience: 'sandbox-gatekeeper:sign-in', ttlSeconds: 600 };

  constructor(private readonly keys: KeyLoader) {}

  async seal(transaction: SignInTransaction, nowMs: number): Promise<string> {
    const claims = { sub: 'sign-in', st: transaction.state, no: transaction.nonce, cv: transaction.codeVerifier, nx: transaction.next };
    return (await signFor(this.keys, this.purpose, claims, nowMs)).token;
  }

  async open(sealed: string, nowMs: number): Promise<SignInTransaction | undefined> {
    const claims = await verifiedFor(this.keys, this.purpose, sealed, nowMs);
    const [state, nonce, codeVerifier, next] = [claims?.st, claims?.no, claims?.cv, claims?.nx];
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string' || typeof next !== 'string') {
      return undefined;
    }
    return { state, nonce, codeVerifier, next };
  }
}
