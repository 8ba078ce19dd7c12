import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { header } from './body';
import type { HttpEvent } from './types';

/** The header CloudFront adds to every origin request (a custom origin header); viewers cannot set it. */
export const EDGE_SECRET_HEADER = 'x-origin-verify';
/** CloudFront's `ip:port` of the viewer (IPv6 unbracketed: the last colon starts the port). */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** Where a request came from, as far as this service can know. */
export type Arrival = { readonly via: 'edge' | 'direct'; readonly clientIp: string };

/**
 * Decides how a request arrived. Without an edge secret the peer address is the client. With
 * one, a request must carry it (else it bypassed the WAF: `direct`), and then — only then — the
 * viewer address CloudFront reports is the client; a viewer-supplied header never counts.
 */
export function arrivalOf(event: HttpEvent, edgeSecret: string | undefined): Arrival {
  const peer = event.requestContext.http.sourceIp;
  if (edgeSecret === undefined) return { via: 'direct', clientIp: peer };
  const presented = header(event, EDGE_SECRET_HEADER);
  if (presented === undefined || !sameSecret(presented, edgeSecret)) return { via: 'direct', clientIp: peer };
  return { via: 'edge', clientIp: viewerAddress(header(event, VIEWER_ADDRESS_HEADER)) ?? peer };
}

function viewerAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const colon = value.lastIndexOf(':');
  const ip = colon > 0 ? value.slice(0, colon) : '';
  return isIP(ip) ? ip : undefined;
}

/** Compared as digests: constant time whatever the presented length. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
