import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port that hands each request to `handle` with its whole body. */
export async function loopbackServer(
  handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handle(req, Buffer.concat(chunks), res))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `rehearsal: ${String(error)}` }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Passes a request on to `upstream` as it came (its host made the upstream's), and its answer back (with `overrides` of its headers). */
export function forwardTo(
  upstream: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  overrides: Record<string, string> = {},
): Promise<void> {
  const target = new URL(req.url ?? '/', upstream);
  return new Promise((resolve) => {
    const outgoing = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...overrides });
      answer.pipe(res);
      answer.on('end', () => resolve());
    });
    outgoing.on('error', (error) => {
      res.destroy(error);
      resolve();
    });
    outgoing.end(body);
  });
}
