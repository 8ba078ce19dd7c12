import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../functions/core/redact';
import type { HttpEvent, HttpResult, LambdaHandler } from '../../functions/http/types';
import { fallbackHandler, findRoute, type HandlerName } from '../../functions/service/routes';
import { handlers } from '../function-specs';
import { httpApiEvent } from '../http-api-event';
import { lambdaContext } from './lambda-context';
import { localPage } from './local-pages';
import { LOCAL_SNS_PREFIX, localSns } from './local-sns';
import { checkMachineRequest, type MachineKey } from './machine-auth';

/** API Gateway's own payload ceiling is 10 MB; the handlers refuse anything over 16 KiB themselves. */
const MAX_READ_BYTES = 1024 * 1024;
const root = fileURLToPath(new URL('../../', import.meta.url));

const loaded = new Map<HandlerName, Promise<LambdaHandler>>();

/** Loads a handler module exactly as Lambda would: the route table's entry, export `handler`. */
export function loadHandler(name: HandlerName): Promise<LambdaHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(`${root}${handlers[name].entry}`).then((module: { handler: LambdaHandler }) => module.handler);
    loaded.set(name, handler);
  }
  return handler;
}

/** Lambda's time limit for the functions (the house construct's timeout). */
const FUNCTION_TIMEOUT_MS = 10_000;

function peerAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * The request target as API Gateway reads it: an origin-form target (`/path?query`) literally —
 * `//evil.example/signup` is the path `//evil.example/signup`, not a host — an absolute-form one
 * (`http://host/path`) by its path; anything else (`*`, garbage) is no target at all.
 */
export function requestTarget(raw: string | undefined): { pathname: string; search: string } | undefined {
  const target = raw ?? '/';
  if (target.startsWith('/')) {
    const query = target.indexOf('?');
    return query === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, query), search: target.slice(query) };
  }
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return { pathname: url.pathname, search: url.search };
  } catch {
    return undefined;
  }
}

/** An HTTP request → the API Gateway HTTP API (payload v2) event that Lambda would receive. */
export function toEvent(req: IncomingMessage, body: Buffer, target: { pathname: string; search: string }): HttpEvent {
  const route = findRoute(target.pathname);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return httpApiEvent({
    method: (req.method ?? 'GET').toUpperCase(),
    pathname: target.pathname,
    search: target.search,
    headers,
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    body,
    routeKey: route ? `ANY ${route.path}` : '$default',
    sourceIp: peerAddress(req),
    protocol: `HTTP/${req.httpVersion}`,
    domainName: req.headers.host ?? 'localhost',
    domainPrefix: 'localhost',
    accountId: 'local',
    apiId: 'local',
    now: new Date(),
  });
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) {
        resolve(undefined);
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, result: HttpResult): void {
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined;
  // As API Gateway answers a v2 result: each cookie its own Set-Cookie header.
  res.writeHead(result.statusCode ?? 200, {
    ...result.headers,
    ...(result.cookies?.length ? { 'Set-Cookie': result.cookies } : {}),
    ...(body ? { 'Content-Length': String(body.length) } : {}),
  });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: LocalServerOptions): Promise<void> {
  const machine = options.machineKey;
  const body = await readBody(req);
  if (!body) {
    res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
    res.end(JSON.stringify({ error: 'payload_too_large', message: 'The request body is larger than 16 KiB.' }));
    req.destroy();
    return;
  }
  const target = requestTarget(req.url);
  if (!target) {
    res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'invalid_request', message: 'The request target is not a path this service can read.' }));
    return;
  }
  if (target.pathname.startsWith(LOCAL_SNS_PREFIX)) return localSns(req, res, target.pathname, body);
  if (req.method === 'GET' && (await localPage(target.pathname, res, options.sesEndpoint))) return;
  const event = toEvent(req, body, target);
  const route = findRoute(event.rawPath);
  if (route?.auth === 'iam') {
    // API Gateway's IAM authorization, as the laptop does it: the handler runs only for the sandbox.
    const checked = machine ? await checkMachineRequest(req, body, machine, Date.now()) : undefined;
    if (!checked?.ok) {
      res.writeHead(checked?.status ?? 403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: checked?.message ?? 'Forbidden' }));
      return;
    }
    Object.assign(event.requestContext, { authorizer: { iam: { ...checked.caller, accountId: '000000000000' } } });
  }
  const name = route?.handler ?? fallbackHandler;
  const handler = await loadHandler(name);
  write(res, await handler(event, lambdaContext(name, event.requestContext.requestId, FUNCTION_TIMEOUT_MS)));
}

export interface LocalServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The local stand-in for API Gateway: it routes by the one route table and calls the very
 * handler modules Lambda runs. Listens on 127.0.0.1 and, where the machine has it, ::1, so that
 * `localhost` works whichever one a client resolves it to.
 */
/**
 * How long one client may hold the server: a whole request (headers and body) must arrive
 * within `requestTimeoutMs`, its headers within half of it, and at most `maxConnections` are
 * open at once, so one slow client cannot hold the server (Node's default waits 300 s).
 */
export interface ServerLimits {
  readonly requestTimeoutMs: number;
  readonly maxConnections: number;
}

export const SERVER_LIMITS: ServerLimits = { requestTimeoutMs: 10_000, maxConnections: 256 };

export interface LocalServerOptions {
  readonly port: number;
  readonly limits?: ServerLimits;
  readonly machineKey?: MachineKey;
  /** The SES emulator whose mail the local mailbox page shows. */
  readonly sesEndpoint?: string;
}

export async function startHttpServer(options: LocalServerOptions): Promise<LocalServer> {
  const limits = options.limits ?? SERVER_LIMITS;
  const servers: Server[] = [];
  const serve = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check often enough to honour them.
      const server = createServer({ connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.requestTimeoutMs / 4)) }, (req, res) => {
        handle(req, res, options).catch((error: unknown) => {
          // A client that went away mid-request is not a server error.
          if (req.destroyed || (error as { code?: string })?.code === 'ECONNRESET') return;
          console.error('local server error', describeError(error));
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: 'internal_error', message: 'Something went wrong on our side.' }));
        });
      });
      server.requestTimeout = limits.requestTimeoutMs;
      server.headersTimeout = Math.ceil(limits.requestTimeoutMs / 2);
      server.maxConnections = limits.maxConnections;
      server.once('error', reject);
      server.listen(port, host, () => {
        servers.push(server);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await serve('127.0.0.1', options.port);
  await serve('::1', port).catch(() => undefined);
  return {
    port,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
