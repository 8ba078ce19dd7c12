/** The registry's file is about 2 MB; anything past this is not the registry's file. */
export const REGISTRY_MAX_BYTES = 20 * 1024 * 1024;

/** At most this many redirects, each to the same host. */
const MAX_REDIRECTS = 3;

/**
 * The registry's current file from REGISTRY_URL, and only from its host: a redirect to another
 * host is refused (the function's one outbound call cannot be sent elsewhere), as is a body past
 * REGISTRY_MAX_BYTES or an answer that takes longer than `timeoutMs` in all. Its publication time
 * is when it was fetched.
 */
export async function downloadRegistry(url: string, timeoutMs = 30_000): Promise<{ csv: string; publishedAt: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const { host, protocol } = new URL(url);
  let target = url;
  for (let redirects = 0; ; redirects++) {
    const answer = await fetch(target, { signal, redirect: 'manual' });
    const location = answer.headers.get('location');
    if (answer.status >= 300 && answer.status < 400 && location) {
      const next = new URL(location, target);
      if (next.host !== host || next.protocol !== protocol || redirects >= MAX_REDIRECTS)
        throw new Error(`REGISTRY_URL redirected to ${next.origin}: only ${host} is fetched`);
      target = next.href;
      continue;
    }
    if (!answer.ok) throw new Error(`REGISTRY_URL answered ${answer.status}`);
    return { csv: await boundedText(answer), publishedAt: new Date().toISOString() };
  }
}

async function boundedText(answer: Response): Promise<string> {
  const declared = Number(answer.headers.get('content-length') ?? 0);
  if (declared > REGISTRY_MAX_BYTES) throw new Error(`REGISTRY_URL's file is ${declared} bytes, more than ${REGISTRY_MAX_BYTES}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of answer.body ?? []) {
    size += chunk.byteLength;
    if (size > REGISTRY_MAX_BYTES) throw new Error(`REGISTRY_URL's file is more than ${REGISTRY_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
