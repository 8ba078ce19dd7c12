import { createHash, type KeyObject, sign as nodeSign } from 'node:crypto';
import { CompactSign, decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { APPROVAL_JWT, JoseApprovalTokens } from '../../functions/adapters/jose-approval-tokens';
import { type KeySet, newKeySetJson, parseKeySet } from '../../functions/adapters/signing-keys';
import { newLinkToken } from '../../functions/core/link-token';

const TTL = 604_800;
const NOW_MS = Date.parse('2030-01-15T12:00:00.000Z');
const NOW = NOW_MS / 1000;
const REQUEST_ID = 'req-AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_REQUEST_ID = 'req-BBBBBBBBBBBBBBBBBBBBBB';

/** A key set with the single key `kid`, made exactly as production makes a fresh one. */
const keySet = (kid = 'k1'): KeySet => parseKeySet(newKeySetJson(kid), 'test');
const adapter = (keys: KeySet, ttl = TTL) => new JoseApprovalTokens(async () => keys, ttl);

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const encodeJson = (value: unknown) => b64url(JSON.stringify(value));

type Fields = Record<string, unknown>;

/** `base` with `changes` applied; a change to `undefined` removes that member. */
function edit(base: Fields, changes: Fields = {}): Fields {
  const result: Fields = { ...base, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete result[name];
  return result;
}

const GOOD_HEADER: Fields = { alg: 'EdDSA', typ: APPROVAL_JWT.typ, kid: 'k1' };
const goodClaims = (): Fields => ({
  iss: APPROVAL_JWT.issuer,
  aud: APPROVAL_JWT.audience,
  sub: REQUEST_ID,
  jti: 'jti-forged-0000000000000',
  iat: NOW,
  exp: NOW + TTL,
});

interface ForgeOptions {
  readonly header?: Fields;
  readonly claims?: Fields;
  /** Defaults to the real signing key of the set under test. */
  readonly key?: KeyObject | Uint8Array;
}

/**
 * A JWT signed by jose's own SignJWT. With no options it is indistinguishable from a genuine
 * token (see the control test), so each attack below differs from a valid token only in the
 * property it names.
 */
async function forge(keys: KeySet, options: ForgeOptions = {}): Promise<string> {
  return new SignJWT(edit(goodClaims(), options.claims))
    .setProtectedHeader(edit(GOOD_HEADER, options.header) as unknown as JWTHeaderParameters)
    .sign(options.key ?? keys.signing.privateKey);
}

/** A compact JWS built by hand with node:crypto, for headers jose refuses to produce. */
function handSign(header: Fields, claims: Fields, privateKey: KeyObject): string {
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  return `${input}.${nodeSign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

async function expectRefused(tokens: JoseApprovalTokens, token: string, nowMs = NOW_MS): Promise<void> {
  await expect(tokens.check(token, nowMs)).resolves.toEqual({ verdict: 'invalid' });
}

describe('JoseApprovalTokens: genuine tokens', () => {
  it('round-trips: a token it issued checks as the request id and jti it was issued for, not expired', async () => {
    const tokens = adapter(keySet());

    const issued = await tokens.issue(REQUEST_ID, NOW_MS);

    expect(issued.expiresAt).toBe(NOW + TTL);
    expect(issued.jti).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    await expect(tokens.check(issued.token, NOW_MS + 1000)).resolves.toEqual({
      verdict: 'valid',
      claims: { requestId: REQUEST_ID, jti: issued.jti },
    });
  });

  it('signs with EdDSA, the approval typ and the signing kid', async () => {
    const { token } = await adapter(keySet()).issue(REQUEST_ID, NOW_MS);

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'sandbox-approval+jwt', kid: 'k1' });
  });

  it('carries the issuer, the approval audience and iat/exp, and names a request, never a person', async () => {
    const { token, jti } = await adapter(keySet()).issue(REQUEST_ID, NOW_MS);

    expect(decodeJwt(token)).toEqual({
      iss: 'sandbox-gatekeeper',
      aud: 'sandbox-gatekeeper:sponsor-approval',
      sub: REQUEST_ID,
      jti,
      iat: NOW,
      exp: NOW + TTL,
    });
    expect(token).not.toContain('@');
  });

  it('gives every token a distinct jti of at least 128 bits', async () => {
    const tokens = adapter(keySet());

    const jtis = await Promise.all(Array.from({ length: 50 }, () => tokens.issue(REQUEST_ID, NOW_MS).then((t) => t.jti)));

    expect(new Set(jtis).size).toBe(50);
    for (const jti of jtis) expect(Buffer.from(jti, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('accepts a forged-by-jose token with the genuine shape (control for the attacks below)', async () => {
    const keys = keySet();

    await expect(adapter(keys).check(await forge(keys), NOW_MS)).resolves.toEqual({
      verdict: 'valid',
      claims: { requestId: REQUEST_ID, jti: 'jti-forged-0000000000000' },
    });
  });
});

describe('JoseApprovalTokens: expiry', () => {
  it('reports a genuine token 6 s past exp as expired, with its genuine claims', async () => {
    const tokens = adapter(keySet());
    const { token, jti, expiresAt } = await tokens.issue(REQUEST_ID, NOW_MS);

    await expect(tokens.check(token, (expiresAt + 6) * 1000)).resolves.toEqual({
      verdict: 'expired',
      claims: { requestId: REQUEST_ID, jti },
    });
  });

  it('still accepts a token 4 s past exp (within the 5 s clock tolerance)', async () => {
    const tokens = adapter(keySet());
    const { token, jti, expiresAt } = await tokens.issue(REQUEST_ID, NOW_MS);

    await expect(tokens.check(token, (expiresAt + 4) * 1000)).resolves.toEqual({
      verdict: 'valid',
      claims: { requestId: REQUEST_ID, jti },
    });
  });

  it('reports a token long past exp as expired, not as invalid', async () => {
    const tokens = adapter(keySet());
    const { token, expiresAt } = await tokens.issue(REQUEST_ID, NOW_MS);

    await expect(tokens.check(token, (expiresAt + 365 * 86_400) * 1000)).resolves.toMatchObject({ verdict: 'expired' });
  });

  it('never accepts as valid a token whose iat is older than the TTL although its exp is in the future: it is expired', async () => {
    const keys = keySet();
    // Issued TTL + 60 s ago, with an exp an attacker (or a bug) stretched a year ahead.
    const token = await forge(keys, { claims: { iat: NOW - TTL - 60, exp: NOW + 365 * 86_400 } });

    const result = await adapter(keys).check(token, NOW_MS);

    expect(result).toEqual({ verdict: 'expired', claims: { requestId: REQUEST_ID, jti: 'jti-forged-0000000000000' } });
  });

  it('accepts a token whose iat is exactly TTL old while exp is still ahead (the boundary of maxTokenAge)', async () => {
    const keys = keySet();
    const token = await forge(keys, { claims: { iat: NOW - TTL, exp: NOW + 60 } });

    await expect(adapter(keys).check(token, NOW_MS)).resolves.toMatchObject({ verdict: 'valid' });
  });

  it('does not let an expired token of another audience pass as "expired" (purpose is checked before time)', async () => {
    const keys = keySet();
    const token = await forge(keys, { claims: { aud: 'sandbox-gatekeeper:email-verification', iat: NOW - 2 * TTL, exp: NOW - TTL } });

    await expectRefused(adapter(keys), token);
  });

  it('does not report an expired token signed by another key as "expired"', async () => {
    const keys = keySet();
    const token = await forge(keys, { key: keySet('k1').signing.privateKey, claims: { iat: NOW - 2 * TTL, exp: NOW - TTL } });

    await expectRefused(adapter(keys), token);
  });

  it('refuses an expired genuine token whose sub is not a string instead of reporting it as expired', async () => {
    const keys = keySet();
    const token = await forge(keys, { claims: { sub: 12345, iat: NOW - 2 * TTL, exp: NOW - TTL } });

    await expectRefused(adapter(keys), token);
  });
});

describe('JoseApprovalTokens: reports forged and confused tokens as invalid', () => {
  describe('alg none', () => {
    it('refuses an unsecured JWT made by jose', async () => {
      const token = new UnsecuredJWT(goodClaims()).encode();

      await expectRefused(adapter(keySet()), token);
    });

    it('refuses a hand-built alg none header with typ and kid k1 and an empty signature', async () => {
      const token = `${encodeJson({ alg: 'none', typ: APPROVAL_JWT.typ, kid: 'k1' })}.${encodeJson(goodClaims())}.`;

      await expectRefused(adapter(keySet()), token);
    });

    it('refuses alg none even with a non-empty signature part (past the shape check, at the algorithm allowlist)', async () => {
      const keys = keySet();
      const genuine = await forge(keys);
      const signature = genuine.split('.')[2]!;
      const token = `${encodeJson({ alg: 'none', typ: APPROVAL_JWT.typ, kid: 'k1' })}.${encodeJson(goodClaims())}.${signature}`;

      await expectRefused(adapter(keys), token);
    });
  });

  describe('HS256 signed with the public key bytes', () => {
    const publicSecrets = (keys: KeySet): Array<[string, Uint8Array]> => {
      const publicKey = keys.verification.get('k1')!;
      const jwk = publicKey.export({ format: 'jwk' });
      return [
        ['raw 32 bytes', Buffer.from(jwk.x!, 'base64url')],
        ['SPKI DER', publicKey.export({ format: 'der', type: 'spki' })],
        ['SPKI PEM', Buffer.from(publicKey.export({ format: 'pem', type: 'spki' }))],
        ['JWK JSON', Buffer.from(JSON.stringify(jwk))],
      ];
    };

    it.each(['raw 32 bytes', 'SPKI DER', 'SPKI PEM', 'JWK JSON'])(
      'refuses an HS256 token whose HMAC secret is the public key as %s',
      async (form) => {
        const keys = keySet();
        const secret = publicSecrets(keys).find(([name]) => name === form)![1];
        const token = await forge(keys, { header: { alg: 'HS256' }, key: secret });

        expect(decodeProtectedHeader(token).alg).toBe('HS256');
        await expectRefused(adapter(keys), token);
      },
    );
  });

  describe('required claims', () => {
    it.each(['exp', 'iat', 'jti', 'sub'])('refuses a token without %s, signed with the real key', async (claim) => {
      const keys = keySet();
      const token = await forge(keys, { claims: { [claim]: undefined } });

      expect(decodeJwt(token)).not.toHaveProperty(claim);
      await expectRefused(adapter(keys), token);
    });

    it.each([
      ['exp as a string', { exp: String(NOW + TTL) }],
      ['iat as a string', { iat: String(NOW) }],
      ['sub as a number', { sub: 42 }],
      ['jti as an object', { jti: { id: 'x' } }],
    ])('refuses a token with %s', async (_label, claims) => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { claims }));
    });

    it('refuses a token whose nbf is beyond the clock tolerance in the future', async () => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { claims: { nbf: NOW + 60 } }));
    });

    it('accepts a token whose nbf is within the clock tolerance (so the refusal above is about nbf)', async () => {
      const keys = keySet();

      await expect(adapter(keys).check(await forge(keys, { claims: { nbf: NOW + 4 } }), NOW_MS)).resolves.toMatchObject({
        verdict: 'valid',
      });
    });

    it('refuses a token whose iat is in the future beyond the clock tolerance', async () => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { claims: { iat: NOW + 3600 } }));
    });
  });

  describe('purpose: typ, aud, iss', () => {
    it.each([
      ['typ JWT', { typ: 'JWT' }],
      ['typ at+jwt', { typ: 'at+jwt' }],
      ['typ of the verification purpose', { typ: 'sandbox-verification+jwt' }],
      ['no typ', { typ: undefined }],
    ])('refuses a token with %s', async (_label, header) => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { header }));
    });

    it.each([
      ['the email-verification audience', { aud: 'sandbox-gatekeeper:email-verification' }],
      ['no audience', { aud: undefined }],
      ['another service as audience', { aud: 'https://evil.example' }],
      ['another issuer', { iss: 'evil-gatekeeper' }],
      ['no issuer', { iss: undefined }],
    ])('refuses a token with %s', async (_label, claims) => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { claims }));
    });
  });

  describe('tampering', () => {
    it('refuses a token whose sub was switched to another request id, keeping the signature', async () => {
      const keys = keySet();
      const tokens = adapter(keys);
      const { token } = await tokens.issue(REQUEST_ID, NOW_MS);
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Fields;
      const tampered = `${header}.${encodeJson({ ...claims, sub: OTHER_REQUEST_ID })}.${signature}`;

      await expectRefused(tokens, tampered);
    });

    it('refuses a token whose exp was pushed later, keeping the signature', async () => {
      const keys = keySet();
      const tokens = adapter(keys);
      const { token } = await tokens.issue(REQUEST_ID, NOW_MS);
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Fields;
      const tampered = `${header}.${encodeJson({ ...claims, exp: NOW + 10 * TTL })}.${signature}`;

      await expectRefused(tokens, tampered);
    });

    it('refuses a token whose header was altered, keeping the signature', async () => {
      const keys = keySet();
      const tokens = adapter(keys);
      const { token } = await tokens.issue(REQUEST_ID, NOW_MS);
      const [, payload, signature] = token.split('.') as [string, string, string];
      const tampered = `${encodeJson({ ...GOOD_HEADER, note: 'added' })}.${payload}.${signature}`;

      await expectRefused(tokens, tampered);
    });

    it.each([1, 2, 10, 43])('refuses a token whose signature lost its last %i characters', async (cut) => {
      const tokens = adapter(keySet());
      const { token } = await tokens.issue(REQUEST_ID, NOW_MS);

      await expectRefused(tokens, token.slice(0, -cut));
    });

    it('refuses a token whose signature was replaced by another genuine token’s signature', async () => {
      const tokens = adapter(keySet());
      const first = await tokens.issue(REQUEST_ID, NOW_MS);
      const second = await tokens.issue(OTHER_REQUEST_ID, NOW_MS);
      const spliced = `${first.token.split('.').slice(0, 2).join('.')}.${second.token.split('.')[2]}`;

      await expectRefused(tokens, spliced);
    });
  });

  describe('headers that point at another key', () => {
    it.each([
      ['jku', { jku: 'https://evil.example/jwks.json' }],
      ['x5u', { x5u: 'https://evil.example/cert.pem' }],
      ['x5c', { x5c: ['MIIBszCCAVmgAwIBAgIUQ'] }],
    ])('refuses a token with a %s header even when signed with the real key', async (_label, header) => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { header }));
    });

    it('refuses a token with an embedded jwk header even when signed with the real key', async () => {
      const keys = keySet();
      const jwk = keys.verification.get('k1')!.export({ format: 'jwk' });

      await expectRefused(adapter(keys), await forge(keys, { header: { jwk } }));
    });

    it('refuses a token signed by an attacker key that embeds its own public jwk', async () => {
      const keys = keySet();
      const attacker = keySet('k1');
      const jwk = attacker.verification.get('k1')!.export({ format: 'jwk' });

      await expectRefused(adapter(keys), await forge(keys, { header: { jwk }, key: attacker.signing.privateKey }));
    });
  });

  describe('kid', () => {
    it.each([
      ['a path', '../../etc/passwd'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['empty', ''],
      ['1000 characters', 'k'.repeat(1000)],
      ['unknown k2', 'k2'],
      ['k1 with a trailing space', 'k1 '],
      ['K1 in upper case', 'K1'],
    ])('refuses a token with a hostile kid (%s), signed with the real key', async (_label, kid) => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { header: { kid } }));
    });

    it.each([
      ['a number', 1],
      ['an array', ['k1']],
      ['an object', { toString: 'k1' }],
      ['null', null],
    ])('refuses a token whose kid is %s, signed with the real key', async (_label, kid) => {
      const keys = keySet();
      const token = handSign({ ...GOOD_HEADER, kid }, goodClaims(), keys.signing.privateKey);

      await expectRefused(adapter(keys), token);
    });

    it('refuses a token without a kid, signed with the real key', async () => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { header: { kid: undefined } }));
    });

    it('refuses a token signed by a different key that uses the same kid k1', async () => {
      const keys = keySet('k1');
      const impostor = keySet('k1');

      await expectRefused(
        adapter(keys),
        await adapter(impostor)
          .issue(REQUEST_ID, NOW_MS)
          .then((t) => t.token),
      );
    });
  });

  describe('crit', () => {
    it('refuses a token with an unknown critical header extension, signed with the real key', async () => {
      const keys = keySet();
      const token = handSign(
        { ...GOOD_HEADER, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true },
        goodClaims(),
        keys.signing.privateKey,
      );

      await expectRefused(adapter(keys), token);
    });

    it('refuses a token whose crit names the one extension jose understands (b64), signed with the real key', async () => {
      const keys = keySet();
      const token = await new CompactSign(Buffer.from(JSON.stringify(goodClaims())))
        .setProtectedHeader({ ...GOOD_HEADER, alg: 'EdDSA', b64: true, crit: ['b64'] })
        .sign(keys.signing.privateKey);

      await expectRefused(adapter(keys), token);
    });
  });

  describe('other algorithms', () => {
    it('refuses the same Ed25519 signature under the fully-specified alg name Ed25519 (fixed allowlist)', async () => {
      const keys = keySet();

      await expectRefused(adapter(keys), await forge(keys, { header: { alg: 'Ed25519' } }));
    });
  });

  describe('garbage', () => {
    it.each([
      ['empty', ''],
      ['10 KB', 'A'.repeat(10 * 1024)],
      ['10 KB of dots and base64url', `${'A'.repeat(5000)}.${'B'.repeat(5000)}.${'C'.repeat(240)}`],
      ['two parts', 'a.b'],
      ['four parts', 'a.b.c.d'],
      ['three short parts', 'a.b.c'],
      ['non-base64url characters', 'ab+c/d=.ef+g/h=.ij+k/l='],
      ['spaces', 'eyJ hbGc.eyJ zdWI.c2ln'],
      ['a trailing newline', 'a.b.c\n'],
      ['SQL injection', "' OR 1=1 --"],
      ['JSON', '{"alg":"none"}'],
      ['a 43-character verification link token', newLinkToken()],
    ])('refuses %s', async (_label, token) => {
      await expectRefused(adapter(keySet()), token);
    });

    it('refuses base64url parts that decode to non-JSON', async () => {
      await expectRefused(adapter(keySet()), `${b64url('not json')}.${b64url('nor this')}.${b64url('sig')}`);
    });

    it('refuses a JWS whose payload is not a JSON object, signed with the real key', async () => {
      const keys = keySet();
      const token = await new CompactSign(Buffer.from('"just a string"'))
        .setProtectedHeader({ alg: 'EdDSA', typ: APPROVAL_JWT.typ, kid: 'k1' })
        .sign(keys.signing.privateKey);

      await expectRefused(adapter(keys), token);
    });

    it('refuses a verification link token hashed the way the store keeps it', async () => {
      const hashed = createHash('sha256').update(newLinkToken()).digest('base64url');

      await expectRefused(adapter(keySet()), hashed);
    });
  });
});

describe('JoseApprovalTokens: key rotation', () => {
  const keyEntry = (json: string) => (JSON.parse(json) as { keys: [Fields] }).keys[0];

  it('verifies tokens of the old key and signs with the new one while both are listed; refuses old tokens once the old key is retired', async () => {
    const oldJson = newKeySetJson('k1');
    const newJson = newKeySetJson('k2');
    const before = adapter(parseKeySet(oldJson, 'before'));
    const oldToken = await before.issue(REQUEST_ID, NOW_MS);

    const during = adapter(parseKeySet(JSON.stringify({ signing: 'k2', keys: [keyEntry(newJson), keyEntry(oldJson)] }), 'during'));
    await expect(during.check(oldToken.token, NOW_MS)).resolves.toEqual({
      verdict: 'valid',
      claims: { requestId: REQUEST_ID, jti: oldToken.jti },
    });
    const newToken = await during.issue(OTHER_REQUEST_ID, NOW_MS);
    expect(decodeProtectedHeader(newToken.token).kid).toBe('k2');
    await expect(during.check(newToken.token, NOW_MS)).resolves.toMatchObject({
      verdict: 'valid',
      claims: { requestId: OTHER_REQUEST_ID },
    });

    const after = adapter(parseKeySet(JSON.stringify({ signing: 'k2', keys: [keyEntry(newJson)] }), 'after'));
    await expectRefused(after, oldToken.token);
    await expect(after.check(newToken.token, NOW_MS)).resolves.toMatchObject({ verdict: 'valid', claims: { requestId: OTHER_REQUEST_ID } });
  });

  it('does not verify a new-key token with the old key set (a kid it does not know)', async () => {
    const oldJson = newKeySetJson('k1');
    const newJson = newKeySetJson('k2');
    const during = adapter(parseKeySet(JSON.stringify({ signing: 'k2', keys: [keyEntry(newJson), keyEntry(oldJson)] }), 'during'));

    await expectRefused(adapter(parseKeySet(oldJson, 'before')), (await during.issue(REQUEST_ID, NOW_MS)).token);
  });

  it('refuses a token signed with k1 but labelled k2 while both keys are listed', async () => {
    const oldJson = newKeySetJson('k1');
    const newJson = newKeySetJson('k2');
    const both = parseKeySet(JSON.stringify({ signing: 'k2', keys: [keyEntry(newJson), keyEntry(oldJson)] }), 'during');
    const k1Only = parseKeySet(oldJson, 'before');

    await expectRefused(adapter(both), await forge(both, { header: { kid: 'k2' }, key: k1Only.signing.privateKey }));
  });
});
