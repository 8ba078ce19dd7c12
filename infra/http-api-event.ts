import { randomUUID } from 'node:crypto';
import type { HttpEvent } from '../functions/http/types';

/** What API Gateway knows of a request when it invokes the route's function. */
export interface HttpApiRequest {
  readonly method: string;
  readonly pathname: string;
  /** `?a=1&b=2`, or empty. */
  readonly search: string;
  /** Lower-case names; cookies travel apart, as API Gateway sends them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  /** None: a request without a body (`isBase64Encoded: false`, no `body`). */
  readonly body?: Buffer;
  readonly routeKey: string;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly now: Date;
}

/**
 * The API Gateway HTTP API (payload 2.0) event for a request, the one shape the local server and
 * the deploy rehearsal both hand the functions: repeated query parameters joined by commas, the
 * body base64-encoded.
 */
export function httpApiEvent(request: HttpApiRequest): HttpEvent {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(request.search)) query[key] = key in query ? `${query[key]},${value}` : value;
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.pathname,
    rawQueryString: request.search.slice(1),
    ...(request.cookies?.length ? { cookies: [...request.cookies] } : {}),
    headers: { ...request.headers },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      domainName: request.domainName,
      domainPrefix: request.domainPrefix,
      http: {
        method: request.method,
        path: request.pathname,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: request.routeKey,
      stage: '$default',
      time: request.now.toUTCString(),
      timeEpoch: request.now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}
