import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP-level proxy in front of the DynamoDB emulator that can apply a request and lose its
 * answer: the request is forwarded and answered upstream, then the client's connection is cut
 * before the answer reaches it (as when a network path fails after the write).
 */
export class LosingProxy {
  /** Operations (X-Amz-Target's action, e.g. `PutItem`) whose next answers are lost, and how many. */
  readonly lose = new Map<string, number>();
  /** Operations answered with a server error instead of being forwarded (DynamoDB's own 500). */
  readonly fail = new Set<string>();
  /** Operations answered with DynamoDB's throttling refusal instead of being forwarded. */
  readonly throttle = new Set<string>();
  /** Answers lost so far, by operation. */
  readonly lost: string[] = [];
  /** Called as each answer is lost (a test can fail the next reads from then on). */
  onLost?: (operation: string) => void;
  private server?: Server;
  endpoint = '';

  constructor(private readonly target: string) {}

  static async start(target: string): Promise<LosingProxy> {
    const proxy = new LosingProxy(target);
    proxy.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const operation =
          String(req.headers['x-amz-target'] ?? '')
            .split('.')
            .pop() ?? '';
        if (proxy.throttle.has(operation)) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({
              __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
              message: 'The level of configured provisioned throughput for the table was exceeded.',
            }),
          );
          return;
        }
        if (proxy.fail.has(operation)) {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
          return;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
        ) as Record<string, string>;
        const answer = await fetch(`${proxy.target}${req.url ?? '/'}`, {
          method: req.method ?? 'POST',
          headers,
          body: Buffer.concat(chunks),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        const left = proxy.lose.get(operation) ?? 0;
        if (left > 0) {
          proxy.lose.set(operation, left - 1);
          proxy.lost.push(operation);
          proxy.onLost?.(operation);
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.server!.listen(0, '127.0.0.1', resolve));
    proxy.endpoint = `http://127.0.0.1:${(proxy.server!.address() as AddressInfo).port}`;
    return proxy;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
