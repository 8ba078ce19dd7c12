/**
 * Hand-built API Gateway HTTP API (payload v2) events, shaped like the ones Lambda receives:
 * header names lower-cased, binary or form bodies possibly base64-encoded.
 */
import type { HttpEvent } from '../../functions/http/types';

export const DOMAIN_NAME = 'abc123.execute-api.us-east-1.amazonaws.com';

export interface EventOptions {
  readonly method?: string;
  readonly path?: string;
  /** Any case; stored lower-cased like API Gateway does. */
  readonly headers?: Record<string, string>;
  /** A string (sent as is, or base64-encoded when `base64` is true) or raw bytes (always base64). */
  readonly body?: string | Buffer;
  readonly base64?: boolean;
  readonly query?: Record<string, string>;
  readonly sourceIp?: string;
  readonly domainName?: string;
}

export function httpEvent(options: EventOptions = {}): HttpEvent {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const rawQueryString = options.query ? new URLSearchParams(options.query).toString() : '';
  const domainName = options.domainName ?? DOMAIN_NAME;

  let body: string | undefined;
  let isBase64Encoded = false;
  if (Buffer.isBuffer(options.body)) {
    body = options.body.toString('base64');
    isBase64Encoded = true;
  } else if (options.body !== undefined) {
    isBase64Encoded = options.base64 ?? false;
    body = isBase64Encoded ? Buffer.from(options.body, 'utf8').toString('base64') : options.body;
  }

  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    headers,
    ...(options.query ? { queryStringParameters: { ...options.query } } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? 'abc123',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '203.0.113.7',
        userAgent: headers['user-agent'] ?? 'vitest',
      },
      requestId: 'request-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '15/Jan/2030:12:00:00 +0000',
      timeEpoch: Date.UTC(2030, 0, 15, 12),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

/** A POST with a JSON body (`value` is serialised unless it is already a string). */
export function jsonEvent(value: unknown, options: EventOptions = {}): HttpEvent {
  return httpEvent({
    method: 'POST',
    ...options,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof value === 'string' ? value : JSON.stringify(value),
  });
}

/** A POST with a form body, as a browser sends it (API Gateway hands it over base64-encoded). */
export function formEvent(fields: Record<string, string> | string, options: EventOptions = {}): HttpEvent {
  return httpEvent({
    method: 'POST',
    base64: true,
    ...options,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  });
}
