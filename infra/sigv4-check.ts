import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

/** A request as it arrived: what a signature covers. */
export interface SignedRequest {
  readonly method: string;
  /** The path with its query string. */
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The key pair (and session token) a request claims to be signed with. */
export interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * Whether a request's SigV4 signature is the one `key` makes: the request is signed again with the
 * SDK's own signer, over exactly the headers it says it signed, at the time it says it was signed
 * (the rehearsal's clock may be years ahead: no skew check).
 */
export async function signatureHolds(request: SignedRequest, key: SigningKey, region: string): Promise<boolean> {
  const authorization = request.headers.authorization!;
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = request.headers['x-amz-date'] ?? '';
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return false;
  const [pathname, search = ''] = request.path.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const [hostname, port] = (request.headers.host ?? '').split(':');
  const signer = new SignatureV4({
    credentials: key,
    region,
    service: /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization)![1]!,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: hostname!,
      ...(port ? { port: Number(port) } : {}),
      path: pathname!,
      query,
      headers: Object.fromEntries(signedNames.map((name) => [name, request.headers[name] ?? ''])),
      body: request.body,
    },
    {
      signingDate: new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!)),
      signableHeaders: new Set(signedNames),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1];
  const given = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
  return expected !== undefined && expected === given;
}
