import { type Email, type Link, type LinkKind, linkOf } from '../core/email';
import { type Route, routes } from './routes';

/** Where links point: the service's public origin (per request where API Gateway names it) and the sandbox. */
export interface LinkBase {
  /** None where the caller sends only emails without a page link (their sandbox link aside). */
  readonly baseUrl?: string;
  /** SANDBOX_URL; emails that would link to the sandbox say "sign in as usual" without it. */
  readonly sandboxUrl?: string;
}

export function linkBase(baseUrl: string | undefined, sandboxUrl?: string): LinkBase {
  return { ...(baseUrl ? { baseUrl } : {}), ...(sandboxUrl ? { sandboxUrl } : {}) };
}

/** A token minted for one email's link: only its holder may use the page. */
export interface Minted {
  readonly token: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

const pathOf = (kind: LinkKind): string | undefined => (routes as readonly Route[]).find((route) => route.link === kind)?.path;

/**
 * The URL of an emailed link, the one place links are built: the page's path from the route
 * table on the service's own origin (never a client's Host header), the token in the query.
 */
export function linkUrl(kind: LinkKind, base: LinkBase, token?: string): string | undefined {
  if (kind === 'sandbox') return base.sandboxUrl;
  const path = pathOf(kind);
  if (path === undefined || base.baseUrl === undefined) return undefined;
  return `${base.baseUrl}${path}${token === undefined ? '' : `?token=${token}`}`;
}

/** The link an email carries when sent now: its kind resolved, with the token minted for it where its page needs one. */
export function emailLink(email: Email, base: LinkBase, minted?: Minted): Link | undefined {
  const kind = linkOf(email);
  if (kind === undefined) return undefined;
  if (kind === 'verify' || kind === 'review' || kind === 'keep') {
    if (!minted) return undefined;
    return { url: linkUrl(kind, base, minted.token)!, expiresAt: minted.expiresAt };
  }
  const url = linkUrl(kind, base);
  return url === undefined ? undefined : { url };
}
