import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalService } from './local-service';

export interface Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A request the way the sandbox makes it: signed with the AWS SDK's own SigV4 signer. */
export async function signedFetch(
  service: LocalService,
  key: Key,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; region?: string; date?: Date } = {},
): Promise<Response> {
  const url = new URL(path, service.baseUrl);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: key,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    },
    options.date ? { signingDate: options.date } : {},
  );
  return fetch(url, { method, headers: signed.headers, ...(body ? { body } : {}) });
}
