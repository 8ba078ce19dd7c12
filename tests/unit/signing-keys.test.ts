import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVAL_JWT, JoseApprovalTokens } from '../../functions/adapters/jose-approval-tokens';
import {
  cachedKeys,
  fileKeys,
  type KeySet,
  KeySetError,
  MIN_SEED_BYTES,
  newKeySetJson,
  parseKeySet,
  secretKeys,
} from '../../functions/adapters/signing-keys';

const NOW_MS = Date.parse('2030-01-15T12:00:00.000Z');
const SEED = 'S'.repeat(43);
const SEED_B = 'T'.repeat(43);

const publicX = (key: KeyObject | undefined): string => {
  if (!key) throw new Error('no such key');
  const { x } = key.export({ format: 'jwk' });
  if (!x) throw new Error('not an OKP key');
  return x;
};
const tokensOf = (keys: KeySet) => new JoseApprovalTokens(async () => keys, 604_800);

/** The KeySetError `run` throws, after checking it is one. */
function keySetError(run: () => unknown): KeySetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KeySetError);
    return error as KeySetError;
  }
  throw new Error('expected a KeySetError');
}

describe('parseKeySet: formats', () => {
  it('reads the single-key format: that key signs and is the only verification key', () => {
    const keys = parseKeySet(JSON.stringify({ kid: 'k1', seed: SEED }), 'test');

    expect(keys.signing.kid).toBe('k1');
    expect([...keys.verification.keys()]).toEqual(['k1']);
    expect(keys.signing.privateKey.type).toBe('private');
    expect(keys.signing.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(keys.verification.get('k1')?.type).toBe('public');
  });

  it('reads the multi-key format: the named key signs, every listed key verifies', () => {
    const keys = parseKeySet(
      JSON.stringify({
        signing: 'k2',
        keys: [
          { kid: 'k2', seed: SEED_B },
          { kid: 'k1', seed: SEED },
        ],
      }),
      'test',
    );

    expect(keys.signing.kid).toBe('k2');
    expect([...keys.verification.keys()].sort()).toEqual(['k1', 'k2']);
    // The signing key's public half is the one listed under its kid.
    expect(publicX(keys.verification.get('k2'))).toBe(publicX(keys.signing.privateKey));
  });

  it('signs with the first listed key when the multi-key format names no signing key', () => {
    const keys = parseKeySet(
      JSON.stringify({
        keys: [
          { kid: 'a', seed: SEED },
          { kid: 'b', seed: SEED_B },
        ],
      }),
      'test',
    );

    expect(keys.signing.kid).toBe('a');
  });

  it('accepts kids of letters, digits, ".", "_" and "-" up to 64 characters', () => {
    const kid = `${'A'.repeat(30)}.z_9-${'b'.repeat(29)}`;
    expect(kid).toHaveLength(64);

    expect(parseKeySet(JSON.stringify({ kid, seed: SEED }), 'test').signing.kid).toBe(kid);
  });

  it('reads what newKeySetJson writes: a single signing key with the given kid and a 256-bit random seed', () => {
    const json = newKeySetJson('k7');
    const document = JSON.parse(json) as { signing: string; keys: Array<{ kid: string; seed: string }> };

    expect(document.signing).toBe('k7');
    expect(document.keys).toHaveLength(1);
    expect(Buffer.from(document.keys[0]!.seed, 'base64url')).toHaveLength(32);
    expect(parseKeySet(json, 'test').signing.kid).toBe('k7');
  });

  it('makes a fresh seed on every call of newKeySetJson', () => {
    const seeds = new Set(
      Array.from({ length: 20 }, () => (JSON.parse(newKeySetJson('k1')) as { keys: Array<{ seed: string }> }).keys[0]!.seed),
    );

    expect(seeds.size).toBe(20);
  });

  it('names a key after the UTC date by default (k + yyyymmdd), a valid kid', () => {
    const kid = (JSON.parse(newKeySetJson()) as { signing: string }).signing;

    expect(kid).toMatch(/^k\d{8}$/);
    expect(() => parseKeySet(newKeySetJson(), 'test')).not.toThrow();
  });
});

describe('parseKeySet: weak secrets are refused at start-up', () => {
  it('requires at least 32 bytes of seed', () => {
    expect(MIN_SEED_BYTES).toBe(32);
  });

  it('refuses a 31-byte seed with a KeySetError naming the source and the kid', () => {
    const error = keySetError(() => parseKeySet(JSON.stringify({ kid: 'k1', seed: 'x'.repeat(31) }), 'SIGNING_KEYS_FILE'));

    expect(error.message).toContain('SIGNING_KEYS_FILE');
    expect(error.message).toContain('k1');
    expect(error.message).toMatch(/32 bytes/);
  });

  it('accepts a 32-byte seed', () => {
    expect(parseKeySet(JSON.stringify({ kid: 'k1', seed: 'x'.repeat(32) }), 'test').signing.kid).toBe('k1');
  });

  it('counts bytes, not characters: 16 two-byte characters are 32 bytes, 15 of them plus one byte are 31', () => {
    expect(parseKeySet(JSON.stringify({ kid: 'k1', seed: 'é'.repeat(16) }), 'test').signing.kid).toBe('k1');
    keySetError(() => parseKeySet(JSON.stringify({ kid: 'k1', seed: `${'é'.repeat(15)}x` }), 'test'));
  });

  it('refuses a short seed anywhere in a multi-key set, even on a key that does not sign', () => {
    const json = JSON.stringify({
      signing: 'k2',
      keys: [
        { kid: 'k2', seed: SEED },
        { kid: 'k1', seed: 'short' },
      ],
    });

    expect(keySetError(() => parseKeySet(json, 'SIGNING_KEYS_SECRET_ARN')).message).toContain('SIGNING_KEYS_SECRET_ARN');
  });

  it.each([
    ['missing', { kid: 'k1' }],
    // biome-ignore lint/correctness/noPrecisionLoss: any number will do; it only has to be a number, not a string.
    ['a number', { kid: 'k1', seed: 12345678901234567890123456789012345 }],
    ['empty', { kid: 'k1', seed: '' }],
    ['null', { kid: 'k1', seed: null }],
  ])('refuses a seed that is %s', (_label, entry) => {
    expect(keySetError(() => parseKeySet(JSON.stringify(entry), 'my-source')).message).toContain('my-source');
  });
});

describe('parseKeySet: malformed key sets are refused with a message naming the source', () => {
  it.each([
    ['missing kid', JSON.stringify({ seed: SEED })],
    ['empty kid', JSON.stringify({ kid: '', seed: SEED })],
    ['kid with a slash', JSON.stringify({ kid: '../k1', seed: SEED })],
    ['kid with a space', JSON.stringify({ kid: 'k 1', seed: SEED })],
    ['kid of 65 characters', JSON.stringify({ kid: 'k'.repeat(65), seed: SEED })],
    ['kid that is a number', JSON.stringify({ kid: 1, seed: SEED })],
    ['non-ASCII kid', JSON.stringify({ kid: 'kä', seed: SEED })],
    ['missing kid in a multi-key set', JSON.stringify({ signing: 'k1', keys: [{ kid: 'k1', seed: SEED }, { seed: SEED_B }] })],
    [
      'duplicate kid',
      JSON.stringify({
        signing: 'k1',
        keys: [
          { kid: 'k1', seed: SEED },
          { kid: 'k1', seed: SEED_B },
        ],
      }),
    ],
    [
      'signing kid not among the keys',
      JSON.stringify({
        signing: 'k3',
        keys: [
          { kid: 'k1', seed: SEED },
          { kid: 'k2', seed: SEED_B },
        ],
      }),
    ],
    ['invalid JSON', '{"kid":"k1","seed":'],
    ['empty text', ''],
    ['JSON null', 'null'],
    ['a JSON string', JSON.stringify(SEED)],
    ['a JSON array of keys without the wrapper', JSON.stringify([{ kid: 'k1', seed: SEED }])],
    ['empty keys array', JSON.stringify({ signing: 'k1', keys: [] })],
    ['a signing value that is not a kid', JSON.stringify({ signing: 5, keys: [{ kid: 'k1', seed: SEED }] })],
    ['empty keys array without a signing kid', JSON.stringify({ keys: [] })],
  ])('%s', (_label, json) => {
    const error = keySetError(() => parseKeySet(json, 'SIGNING_KEYS_FILE'));

    expect(error.name).toBe('KeySetError');
    expect(error.message.startsWith('SIGNING_KEYS_FILE:')).toBe(true);
  });

  it('says which kid is duplicated', () => {
    const json = JSON.stringify({
      signing: 'dup',
      keys: [
        { kid: 'dup', seed: SEED },
        { kid: 'dup', seed: SEED_B },
      ],
    });

    expect(keySetError(() => parseKeySet(json, 'test')).message).toContain('"dup"');
  });

  it('says which signing kid is missing', () => {
    const json = JSON.stringify({ signing: 'k9', keys: [{ kid: 'k1', seed: SEED }] });

    expect(keySetError(() => parseKeySet(json, 'test')).message).toContain('"k9"');
  });

  it('never puts the seed into the message', () => {
    const seed = 'secret-seed-that-is-too-short';
    const messages = [
      keySetError(() => parseKeySet(JSON.stringify({ kid: 'k1', seed }), 'test')).message,
      keySetError(() => parseKeySet(`{"kid":"k1","seed":"${SEED}"`, 'test')).message,
      keySetError(() => parseKeySet(JSON.stringify({ kid: 'bad kid', seed: SEED }), 'test')).message,
    ];

    for (const message of messages) {
      expect(message).not.toContain(seed);
      expect(message).not.toContain(SEED);
    }
  });
});

describe('parseKeySet: key derivation', () => {
  it('derives the same key from the same seed and kid on every parse', () => {
    const json = JSON.stringify({ kid: 'k1', seed: SEED });

    expect(publicX(parseKeySet(json, 'a').verification.get('k1'))).toBe(publicX(parseKeySet(json, 'b').verification.get('k1')));
  });

  it('verifies, after a restart (a second parse), a token issued with the first parse', async () => {
    const json = newKeySetJson('k1');
    const issued = await tokensOf(parseKeySet(json, 'cold start 1')).issue('req-1', NOW_MS);

    await expect(tokensOf(parseKeySet(json, 'cold start 2')).check(issued.token, NOW_MS)).resolves.toEqual({
      verdict: 'valid',
      claims: { requestId: 'req-1', jti: issued.jti },
    });
  });

  it('derives different keys for different kids from the same seed', () => {
    const keys = parseKeySet(
      JSON.stringify({
        signing: 'a',
        keys: [
          { kid: 'a', seed: SEED },
          { kid: 'b', seed: SEED },
        ],
      }),
      'test',
    );

    expect(publicX(keys.verification.get('a'))).not.toBe(publicX(keys.verification.get('b')));
  });

  it('does not let a token signed with key a pass as kid b, although both come from one seed', async () => {
    const keys = parseKeySet(
      JSON.stringify({
        signing: 'a',
        keys: [
          { kid: 'a', seed: SEED },
          { kid: 'b', seed: SEED },
        ],
      }),
      'test',
    );
    const relabelled = await new SignJWT({ sub: 'req-1', jti: 'j', iss: APPROVAL_JWT.issuer, aud: APPROVAL_JWT.audience })
      .setProtectedHeader({ alg: 'EdDSA', typ: APPROVAL_JWT.typ, kid: 'b' })
      .setIssuedAt(NOW_MS / 1000)
      .setExpirationTime(NOW_MS / 1000 + 60)
      .sign(keys.signing.privateKey);

    await expect(tokensOf(keys).check(relabelled, NOW_MS)).resolves.toEqual({ verdict: 'invalid' });
  });

  it('derives different keys from different seeds under the same kid', () => {
    const one = parseKeySet(JSON.stringify({ kid: 'k1', seed: SEED }), 'test');
    const other = parseKeySet(JSON.stringify({ kid: 'k1', seed: SEED_B }), 'test');

    expect(publicX(one.verification.get('k1'))).not.toBe(publicX(other.verification.get('k1')));
  });
});

describe('cachedKeys', () => {
  it('reads the secret once for many calls, sequential and concurrent, and hands out the same key set', async () => {
    let reads = 0;
    const json = newKeySetJson('k1');
    const load = cachedKeys(async () => {
      reads++;
      return json;
    }, 'test');

    const concurrent = await Promise.all(Array.from({ length: 10 }, () => load()));
    const later = await load();

    expect(reads).toBe(1);
    expect(new Set([...concurrent, later]).size).toBe(1);
    expect(later.signing.kid).toBe('k1');
  });

  it('does not read anything until the key set is first needed', () => {
    let reads = 0;
    cachedKeys(async () => {
      reads++;
      return newKeySetJson('k1');
    }, 'test');

    expect(reads).toBe(0);
  });

  it('retries the read on the next call after a failed read', async () => {
    let reads = 0;
    const json = newKeySetJson('k1');
    const load = cachedKeys(async () => {
      reads++;
      if (reads === 1) throw new Error('network down');
      return json;
    }, 'test');

    await expect(load()).rejects.toThrow('network down');
    await expect(load()).resolves.toMatchObject({ signing: { kid: 'k1' } });
    await load();
    expect(reads).toBe(2);
  });

  it('retries after a read whose content is not a valid key set, reporting a KeySetError naming the source', async () => {
    const contents = ['{"kid":"k1","seed":"short"}', newKeySetJson('k2')];
    let reads = 0;
    const load = cachedKeys(async () => contents[reads++] ?? '', 'SIGNING_KEYS_SECRET_ARN');

    const failure = await load().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KeySetError);
    expect((failure as KeySetError).message).toContain('SIGNING_KEYS_SECRET_ARN');
    await expect(load()).resolves.toMatchObject({ signing: { kid: 'k2' } });
    expect(reads).toBe(2);
  });
});

describe('fileKeys', () => {
  let directory: string | undefined;

  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  const tempFile = async () => {
    directory = await mkdtemp(join(tmpdir(), 'signing-keys-test-'));
    return join(directory, 'signing-keys.json');
  };

  it('loads the key set from a file and keeps it: later changes to the file do not matter until restart', async () => {
    const path = await tempFile();
    await writeFile(path, newKeySetJson('k1'), 'utf8');
    const load = fileKeys(path);

    const first = await load();
    await writeFile(path, newKeySetJson('k2'), 'utf8');

    expect(first.signing.kid).toBe('k1');
    expect(await load()).toBe(first);
    expect((await fileKeys(path)()).signing.kid).toBe('k2');
  });

  it('issues with a file-loaded key set and verifies with another load of the same file', async () => {
    const path = await tempFile();
    await writeFile(path, newKeySetJson('k1'), 'utf8');
    const issued = await new JoseApprovalTokens(fileKeys(path), 3600).issue('req-9', NOW_MS);

    await expect(new JoseApprovalTokens(fileKeys(path), 3600).check(issued.token, NOW_MS)).resolves.toMatchObject({
      verdict: 'valid',
      claims: { requestId: 'req-9' },
    });
  });

  it('fails while the file is missing and succeeds once it exists', async () => {
    const path = await tempFile();
    const load = fileKeys(path);

    await expect(load()).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(path, newKeySetJson('k1'), 'utf8');
    await expect(load()).resolves.toMatchObject({ signing: { kid: 'k1' } });
  });

  it('refuses a file holding a weak key with a KeySetError naming SIGNING_KEYS_FILE', async () => {
    const path = await tempFile();
    await writeFile(path, JSON.stringify({ kid: 'k1', seed: 'x'.repeat(31) }), 'utf8');

    await expect(fileKeys(path)()).rejects.toThrow(KeySetError);
    await expect(fileKeys(path)()).rejects.toThrow(/^SIGNING_KEYS_FILE:/);
  });
});

describe('secretKeys', () => {
  const clientReturning = (answers: Array<{ SecretString?: string }>) => {
    const calls: string[] = [];
    const client = async (secretId: string) => {
      calls.push(secretId);
      return answers[calls.length - 1]?.SecretString;
    };
    return { client, calls };
  };

  it('reads the secret once and parses it', async () => {
    const { client, calls } = clientReturning([{ SecretString: newKeySetJson('k1') }]);
    const load = secretKeys(client, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys');

    await load();
    await load();

    expect(calls).toHaveLength(1);
    expect((await load()).signing.kid).toBe('k1');
  });

  it('refuses a secret without a string value with a KeySetError naming SIGNING_KEYS_SECRET_ARN, and retries', async () => {
    const { client, calls } = clientReturning([{}, { SecretString: newKeySetJson('k1') }]);
    const load = secretKeys(client, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys');

    await expect(load()).rejects.toThrow(/^SIGNING_KEYS_SECRET_ARN:/);
    await expect(load()).resolves.toMatchObject({ signing: { kid: 'k1' } });
    expect(calls).toHaveLength(2);
  });
});
