import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One DynamoDB call as the proxy saw it: when it arrived and when its answer left (ms, this process's clock). */
export interface RecordedCall {
  /** X-Amz-Target's action: `GetItem`, `UpdateItem`, `Query`… */
  readonly operation: string;
  /** The partition key the call names (its Key, or its Item's), when it names one. */
  readonly pk?: string;
  readonly startMs: number;
  readonly endMs: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export const isWrite = (call: RecordedCall): boolean => WRITES.has(call.operation);

/**
 * The calls grouped into sequential round trips: calls whose times overlap are one wave (made
 * together), and a call that starts after every earlier one has been answered starts the next.
 */
export function waves(calls: readonly RecordedCall[]): RecordedCall[][] {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  const grouped: RecordedCall[][] = [];
  let openUntil = Number.NEGATIVE_INFINITY;
  for (const call of sorted) {
    if (call.startMs < openUntil) grouped.at(-1)!.push(call);
    else grouped.push([call]);
    openUntil = Math.max(openUntil, call.endMs);
  }
  return grouped;
}

/**
 * The request's sequential round trips: the most calls of the record that follow one another
 * without overlapping (each starts once the one before it has been answered). Calls a request
 * makes in turn can never overlap, so a chain of them counts in full even beside other calls;
 * calls it makes together overlap (held answers) and count once.
 */
export function sequentialRoundTrips(calls: readonly RecordedCall[]): number {
  let count = 0;
  let freeFrom = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.endMs - b.endMs)) {
    if (call.startMs < freeFrom) continue;
    count += 1;
    freeFrom = call.endMs;
  }
  return count;
}

/** A wave as one line: its calls' operations and the key families they name. */
export const describeWave = (wave: readonly RecordedCall[]): string =>
  wave.map((call) => `${call.operation}(${call.pk?.replace(/#.*/, '') ?? ''})`).join(' + ');

/** The waves as numbered lines, for a failure message. */
export const shownWaves = (calls: readonly RecordedCall[]): string =>
  waves(calls)
    .map((wave, i) => `${i + 1}. ${describeWave(wave)}`)
    .join('\n');

function partitionKeyOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { Key?: { pk?: { S?: string } }; Item?: { pk?: { S?: string } } };
    return parsed.Key?.pk?.S ?? parsed.Item?.pk?.S;
  } catch {
    return undefined;
  }
}

/**
 * An HTTP proxy in front of DynamoDB (the local emulator) that records every call. Each answer is
 * held `holdMs` before it goes back, so calls a request makes together surely overlap and calls
 * it makes in turn surely do not: the record's waves are the request's sequential round trips,
 * whatever the machine's load.
 */
export class RecordingProxy {
  readonly calls: RecordedCall[] = [];
  endpoint = '';
  private server?: Server;

  private constructor(
    private readonly target: string,
    private readonly holdMs: number,
  ) {}

  static async start(target: string, { holdMs = 100 }: { holdMs?: number } = {}): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(target, holdMs);
    proxy.server = createServer((req, res) => {
      const startMs = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const operation =
          String(req.headers['x-amz-target'] ?? '')
            .split('.')
            .pop() ?? '';
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
        ) as Record<string, string>;
        const pk = partitionKeyOf(body.toString('utf8'));
        const record = () => proxy.calls.push({ operation, ...(pk ? { pk } : {}), startMs, endMs: performance.now() });
        try {
          const answer = await fetch(`${proxy.target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body });
          const answered = Buffer.from(await answer.arrayBuffer());
          await new Promise((resolve) => setTimeout(resolve, proxy.holdMs));
          // Recorded before the answer leaves: whoever waits on it finds the call already in the record.
          record();
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end(answered);
        } catch {
          record();
          res.writeHead(502).end();
        }
      });
    });
    await new Promise<void>((resolve) => proxy.server!.listen(0, '127.0.0.1', resolve));
    proxy.endpoint = `http://127.0.0.1:${(proxy.server!.address() as AddressInfo).port}`;
    return proxy;
  }

  /** The calls made while `run` ran (nothing else should use the table meanwhile: no sweep). */
  async during<T>(run: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }> {
    const from = this.calls.length;
    const result = await run();
    return { result, calls: this.calls.slice(from) };
  }

  /** The calls one HTTP request made, its answer read to the end. */
  async request(send: () => Promise<Response>): Promise<{ status: number; calls: RecordedCall[] }> {
    const { result, calls } = await this.during(async () => {
      const response = await send();
      await response.arrayBuffer();
      return response.status;
    });
    return { status: result, calls };
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
