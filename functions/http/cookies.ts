import type { SessionTokens, SponsorSession } from '../core/session';
import { isCsrfTokenOf } from '../core/session';
import type { HttpEvent, HttpResult } from './types';

/**
 * The sponsor's session cookie and the cookie that carries an OIDC sign-in in progress.
 * `__Host-`: set only over HTTPS (browsers count localhost as such), for this host alone, path /;
 * `HttpOnly`: no script reads it; `SameSite=Lax`: another site's POST never carries it.
 */
export const SESSION_COOKIE = '__Host-gk-session';
export const SIGN_IN_COOKIE = '__Host-gk-sign-in';

export function cookieOf(event: HttpEvent, name: string): string | undefined {
  for (const cookie of event.cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

export function setCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function withCookies(result: HttpResult, cookies: readonly string[]): HttpResult {
  return { ...result, cookies: [...(result.cookies ?? []), ...cookies] };
}

/** The session the request's cookie stands for, if it is genuine and current. */
export async function sessionOf(event: HttpEvent, sessions: SessionTokens, nowMs: number): Promise<SponsorSession | undefined> {
  const token = cookieOf(event, SESSION_COOKIE);
  return token ? sessions.check(token, nowMs) : undefined;
}

/**
 * The session a state-changing request acts in: its cookie's, and only when the request carries
 * that session's CSRF token (a form of one of its own pages). Otherwise none: the request is
 * treated as signed out.
 */
export async function actingSession(
  event: HttpEvent,
  csrf: string | undefined,
  sessions: SessionTokens,
  nowMs: number,
): Promise<SponsorSession | undefined> {
  const session = await sessionOf(event, sessions, nowMs);
  return session && isCsrfTokenOf(session, csrf) ? session : undefined;
}
