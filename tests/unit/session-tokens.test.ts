import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { JoseApprovalTokens } from '../../functions/adapters/jose-approval-tokens';
import { JoseSessionTokens, JoseSignInTransactions } from '../../functions/adapters/jose-session-tokens';
import { type Purpose, signFor } from '../../functions/adapters/jose-signed';
import { cachedKeys, type KeyLoader, newKeySetJson } from '../../functions/adapters/signing-keys';
import type { SignInTransaction } from '../../functions/core/session';

const NOW = Date.parse('2030-01-15T12:00:00.000Z');
const TTL = 3600;

/** One service's keys, and each kind of token it signs with them. */
function service() {
  const keys = cachedKeys(async () => newKeySetJson(), 'test');
  return {
    keys,
    sessions: new JoseSessionTokens(keys, TTL),
    transactions: new JoseSignInTransactions(keys),
    approvals: new JoseApprovalTokens(keys, 604_800),
  };
}

const OIDC = {
  mailbox: 'sam.sponsor@agency.gov',
  also: ['s.sponsor@agency.gov'],
  method: 'oidc',
  sub: '0c7d6b0e-5b8e-4c38-9f0f-2f1d3a4b5c6d',
  acr: 'urn:acr.login.gov:auth-only',
} as const;

const TRANSACTION: SignInTransaction = {
  state: 'state-AAAAAAAAAAAAAAAAAAAAAA',
  nonce: 'nonce-BBBBBBBBBBBBBBBBBBBBBB',
  codeVerifier: 'verifier-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC',
  next: '/sponsorships/review?token=a',
};

/** The token with one character of its payload changed (the signature no longer covers it). */
function tampered(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory@agency.gov' })).toString('base64url');
  return `${header}.${changed}.${signature}`;
}

/** The token with one character in the middle of its signature changed. */
function badSignature(token: string): string {
  const at = token.lastIndexOf('.') + 10;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

describe('JoseSessionTokens', () => {
  it('round-trips an OIDC sign-in: mailbox, other addresses, method, the provider’s subject and level', async () => {
    const { sessions } = service();
    const { token, session } = await sessions.issue(OIDC, NOW);
    expect(session).toEqual({ ...OIDC, sid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), issuedAtMs: NOW, expiresAt: NOW / 1000 + TTL });
    await expect(sessions.check(token, NOW + 1000)).resolves.toEqual(session);
  });

  it('round-trips an emailed-code sign-in with no provider claims', async () => {
    const { sessions } = service();
    const { token, session } = await sessions.issue({ mailbox: 'sam.sponsor@agency.gov', method: 'emailed_code' }, NOW);
    const checked = await sessions.check(token, NOW);
    expect(checked).toEqual({
      mailbox: 'sam.sponsor@agency.gov',
      method: 'emailed_code',
      sid: session.sid,
      issuedAtMs: NOW,
      expiresAt: NOW / 1000 + TTL,
    });
  });

  it('gives every session its own id', async () => {
    const { sessions } = service();
    const [a, b] = await Promise.all([sessions.issue(OIDC, NOW), sessions.issue(OIDC, NOW)]);
    expect(a.session.sid).not.toBe(b.session.sid);
  });

  it('is a session JWT of its own type and audience, signed with the service’s key', async () => {
    const { sessions } = service();
    const { token } = await sessions.issue(OIDC, NOW);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'sandbox-session+jwt' });
    expect(decodeJwt(token)).toMatchObject({ sub: OIDC.mailbox, aud: 'sandbox-gatekeeper:sponsor-session', exp: NOW / 1000 + TTL });
  });

  it('stands until its time is up, and for nothing after', async () => {
    const { sessions } = service();
    const { token, session } = await sessions.issue(OIDC, NOW);
    await expect(sessions.check(token, NOW + (TTL - 1) * 1000)).resolves.toEqual(session);
    await expect(sessions.check(token, NOW + (TTL + 10) * 1000)).resolves.toBeUndefined();
  });

  it('refuses a tampered token, garbage, and a token signed with another service’s keys', async () => {
    const ours = service();
    const theirs = service();
    const { token } = await ours.sessions.issue(OIDC, NOW);
    await expect(ours.sessions.check(tampered(token), NOW)).resolves.toBeUndefined();
    await expect(ours.sessions.check(badSignature(token), NOW)).resolves.toBeUndefined();
    await expect(ours.sessions.check('', NOW)).resolves.toBeUndefined();
    await expect(ours.sessions.check('a.b.c', NOW)).resolves.toBeUndefined();
    await expect(ours.sessions.check((await theirs.sessions.issue(OIDC, NOW)).token, NOW)).resolves.toBeUndefined();
  });
});

describe('one purpose per token: sessions, sign-ins in progress and approval links never pass for one another', () => {
  it('a session token decides no request: the approval check calls it invalid', async () => {
    const { sessions, approvals } = service();
    const { token } = await sessions.issue(OIDC, NOW);
    await expect(approvals.check(token, NOW)).resolves.toEqual({ verdict: 'invalid' });
  });

  it('an approval token is no session', async () => {
    const { sessions, approvals } = service();
    const { token } = await approvals.issue('req-AAAAAAAAAAAAAAAAAAAAAA', NOW);
    await expect(sessions.check(token, NOW)).resolves.toBeUndefined();
  });

  it('a sealed sign-in is no session, and a session no sealed sign-in', async () => {
    const { sessions, transactions } = service();
    const sealed = await transactions.seal(TRANSACTION, NOW);
    const { token } = await sessions.issue(OIDC, NOW);
    await expect(sessions.check(sealed, NOW)).resolves.toBeUndefined();
    await expect(transactions.open(token, NOW)).resolves.toBeUndefined();
  });

  it('an approval token is no sealed sign-in, and a sealed sign-in decides no request', async () => {
    const { transactions, approvals } = service();
    const { token } = await approvals.issue('req-AAAAAAAAAAAAAAAAAAAAAA', NOW);
    await expect(transactions.open(token, NOW)).resolves.toBeUndefined();
    await expect(approvals.check(await transactions.seal(TRANSACTION, NOW), NOW)).resolves.toEqual({ verdict: 'invalid' });
  });
});

describe('one purpose per token, even when the claims would fit another', () => {
  const SESSION: Purpose = { typ: 'sandbox-session+jwt', audience: 'sandbox-gatekeeper:sponsor-session', ttlSeconds: TTL };
  const SIGN_IN: Purpose = { typ: 'sandbox-sign-in+jwt', audience: 'sandbox-gatekeeper:sign-in', ttlSeconds: 600 };
  const APPROVAL: Purpose = { typ: 'sandbox-approval+jwt', audience: 'sandbox-gatekeeper:sponsor-approval', ttlSeconds: 604_800 };
  const sessionClaims = { sub: OIDC.mailbox, jti: 'sid-AAAAAAAAAAAAAAAAAAAAAA', amr: 'oidc', idp_sub: OIDC.sub, iat_ms: NOW };
  const signInClaims = { sub: 'sign-in', st: TRANSACTION.state, no: TRANSACTION.nonce, cv: TRANSACTION.codeVerifier, nx: TRANSACTION.next };
  const signed = async (keys: KeyLoader, purpose: Purpose, claims: Record<string, unknown>) =>
    (await signFor(keys, purpose, claims, NOW)).token;

  it('the control: session claims signed for the session purpose are a session; sign-in claims for sign-in, a sign-in', async () => {
    const { keys, sessions, transactions } = service();
    await expect(sessions.check(await signed(keys, SESSION, sessionClaims), NOW)).resolves.toMatchObject({ mailbox: OIDC.mailbox });
    await expect(transactions.open(await signed(keys, SIGN_IN, signInClaims), NOW)).resolves.toEqual(TRANSACTION);
  });

  it.each([
    ['a sign-in in progress', SIGN_IN],
    ['an approval link', APPROVAL],
  ])('session claims signed as %s are no session', async (_label, purpose) => {
    const { keys, sessions } = service();
    await expect(sessions.check(await signed(keys, purpose, sessionClaims), NOW)).resolves.toBeUndefined();
  });

  it.each([
    ['a session', SESSION],
    ['an approval link', APPROVAL],
  ])('sign-in claims signed as %s are no sign-in in progress', async (_label, purpose) => {
    const { keys, transactions } = service();
    await expect(transactions.open(await signed(keys, purpose, signInClaims), NOW)).resolves.toBeUndefined();
  });

  it('session claims (a subject and an id) signed as a session decide no request', async () => {
    const { keys, approvals } = service();
    await expect(approvals.check(await signed(keys, SESSION, { sub: 'req-AAAAAAAAAAAAAAAAAAAAAA', jti: 'j' }), NOW)).resolves.toEqual({
      verdict: 'invalid',
    });
  });
});

describe('JoseSignInTransactions', () => {
  it('opens what it sealed, for ten minutes', async () => {
    const { transactions } = service();
    const sealed = await transactions.seal(TRANSACTION, NOW);
    await expect(transactions.open(sealed, NOW + 599_000)).resolves.toEqual(TRANSACTION);
    await expect(transactions.open(sealed, NOW + 610_000)).resolves.toBeUndefined();
  });

  it('refuses a tampered seal', async () => {
    const { transactions } = service();
    const sealed = await transactions.seal(TRANSACTION, NOW);
    await expect(transactions.open(tampered(sealed), NOW)).resolves.toBeUndefined();
  });
});
