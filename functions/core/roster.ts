import type { Account, AccountKind, AccountStatus } from './account';
import { statusAt } from './lifecycle';
import type { Agency } from './registry';

/**
 * The roster the sandbox reads (`GET /v1/accounts`), shaped like a SCIM 2.0 `ListResponse`
 * (RFC 7644) paged by cursor (RFC 9865): who may enter, and every account changed since the
 * sandbox last looked. Pure: the adapter pages the table, the use case filters.
 */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Entries one activity report (`POST /v1/activity`) may carry. */
export const ACTIVITY_MAX = 1000;

/** Accounts per page unless the sandbox asks for fewer (`count`), and at most. */
export const ROSTER_PAGE = 100;
export const ROSTER_PAGE_MAX = 500;

export interface RosterEntry {
  readonly schemas: readonly [typeof USER_SCHEMA];
  readonly id: string;
  readonly userName: string;
  /** Whether the person may enter the sandbox now. */
  readonly active: boolean;
  readonly meta: { readonly resourceType: 'User'; readonly lastModified: string; readonly version: string };
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly accessExpiresAt: string | null;
  readonly sponsor: string | null;
  readonly agency: Agency | null;
}

export interface RosterPage {
  readonly schemas: readonly [typeof LIST_RESPONSE_SCHEMA];
  readonly itemsPerPage: number;
  readonly Resources: readonly RosterEntry[];
  /** Present until the last page: pass it back as `cursor`. */
  readonly nextCursor?: string;
}

/** An account as the roster shows it, as of `nowMs` (an active contractor past its end is expired). */
export function rosterEntry(account: Account, nowMs: number): RosterEntry {
  const status = statusAt(account, nowMs);
  return {
    schemas: [USER_SCHEMA],
    id: account.email,
    userName: account.email,
    active: status === 'active',
    meta: { resourceType: 'User', lastModified: account.updatedAt, version: `W/"${account.version}"` },
    kind: account.kind,
    status,
    accessExpiresAt: account.accessExpiresAt ?? null,
    sponsor: account.kind === 'contractor' ? (account.sponsoredBy ?? account.request?.sponsorEmail ?? null) : null,
    agency: account.agency ?? null,
  };
}

/** Whether an account belongs on a roster page asked for with these filters. */
export function onRoster(account: Account, filter: { status?: AccountStatus; changedSince?: string }, nowMs: number): boolean {
  if (account.status === 'pending') return false;
  if (filter.status && statusAt(account, nowMs) !== filter.status) return false;
  return !filter.changedSince || account.updatedAt > filter.changedSince;
}
