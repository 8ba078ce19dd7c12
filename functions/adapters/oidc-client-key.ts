import { readFile } from 'node:fs/promises';
import type { ClientPrivateJwk } from './openid-identity-provider';
import type { ReadSecret } from './secret-string';

/**
 * The OIDC client's private key (`private_key_jwt`), a JWK with `kid` and `alg`: from a file
 * locally, from a Secrets Manager secret in AWS. Read once per cold start, on first use; a failed
 * read is not kept, so the next sign-in tries again.
 */
function cached(read: () => Promise<string>, source: string): () => Promise<ClientPrivateJwk> {
  let loaded: Promise<ClientPrivateJwk> | undefined;
  return () => {
    loaded ??= read()
      .then((text) => {
        const jwk = JSON.parse(text) as Partial<ClientPrivateJwk>;
        if (typeof jwk.kid !== 'string' || typeof jwk.alg !== 'string' || !('d' in jwk)) {
          throw new Error(`${source}: not a private JWK with "kid" and "alg"`);
        }
        return jwk as ClientPrivateJwk;
      })
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return loaded;
  };
}

export function fileClientKey(path: string): () => Promise<ClientPrivateJwk> {
  return cached(() => readFile(path, 'utf8'), 'OIDC_PRIVATE_KEY_FILE');
}

export function secretClientKey(readSecret: ReadSecret, secretId: string): () => Promise<ClientPrivateJwk> {
  return cached(async () => {
    const SecretString = await readSecret(secretId);
    if (!SecretString) throw new Error('OIDC_PRIVATE_KEY_SECRET_ARN: the secret has no string value');
    return SecretString;
  }, 'OIDC_PRIVATE_KEY_SECRET_ARN');
}
