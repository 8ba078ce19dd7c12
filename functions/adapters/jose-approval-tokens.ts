import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { ApprovalClaims, ApprovalTokens, TokenCheck } from '../core/ports';
import { COMPACT_JWS, keyFor } from './jose-signed';
import type { KeyLoader } from './signing-keys';

/**
 * Sponsor approval tokens: EdDSA JWTs signed and verified by this service alone. Verification
 * pins the algorithm, `typ`, issuer and audience (a token minted for another purpose never
 * decides a request), requires exp/iat/jti/sub, allows 5 s of clock skew, and refuses any header
 * that would point at another key (`jku`, `x5u`, `x5c`, `jwk`) or demand extensions (`crit`).
 */
export const APPROVAL_JWT = {
  algorithm: 'EdDSA',
  typ: 'sandbox-approval+jwt',
  issuer: 'sandbox-gatekeeper',
  audience: 'sandbox-gatekeeper:sponsor-approval',
  clockToleranceSeconds: 5,
} as const;

const MAX_TOKEN_LENGTH = 2048;

function claimsOf(payload: { sub?: unknown; jti?: unknown }): ApprovalClaims | undefined {
  return typeof payload.sub === 'string' && typeof payload.jti === 'string' ? { requestId: payload.sub, jti: payload.jti } : undefined;
}

export class JoseApprovalTokens implements ApprovalTokens {
  constructor(
    private readonly keys: KeyLoader,
    private readonly ttlSeconds: number,
  ) {}

  async issue(requestId: string, nowMs: number): Promise<{ token: string; jti: string; expiresAt: number }> {
    const { signing } = await this.keys();
    const jti = randomBytes(16).toString('base64url');
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: APPROVAL_JWT.algorithm, typ: APPROVAL_JWT.typ, kid: signing.kid })
      .setIssuer(APPROVAL_JWT.issuer)
      .setAudience(APPROVAL_JWT.audience)
      .setSubject(requestId)
      .setJti(jti)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signing.privateKey);
    return { token, jti, expiresAt };
  }

  async check(token: string, nowMs: number): Promise<TokenCheck> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return { verdict: 'invalid' };
    const { verification } = await this.keys();
    try {
      const { payload } = await jwtVerify(token, keyFor(verification), {
        algorithms: [APPROVAL_JWT.algorithm],
        typ: APPROVAL_JWT.typ,
        issuer: APPROVAL_JWT.issuer,
        audience: APPROVAL_JWT.audience,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        clockTolerance: APPROVAL_JWT.clockToleranceSeconds,
        maxTokenAge: this.ttlSeconds,
        currentDate: new Date(nowMs),
      });
      const claims = claimsOf(payload);
      return claims ? { verdict: 'valid', claims } : { verdict: 'invalid' };
    } catch (error) {
      // jose checks the signature before the claims: an expired token's payload is genuine.
      const claims = error instanceof errors.JWTExpired ? claimsOf(error.payload) : undefined;
      return claims ? { verdict: 'expired', claims } : { verdict: 'invalid' };
    }
  }
}
