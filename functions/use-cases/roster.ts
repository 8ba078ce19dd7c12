import type { AccountStatus } from '../core/account';
import { InvalidRequestError } from '../core/errors';
import type { AccountPages, Clock } from '../core/ports';
import { LIST_RESPONSE_SCHEMA, onRoster, ROSTER_PAGE, ROSTER_PAGE_MAX, type RosterPage, rosterEntry } from '../core/roster';

export interface RosterDeps {
  readonly pages: AccountPages;
  readonly clock: Clock;
}

export interface RosterQuery {
  readonly status?: AccountStatus;
  /** ISO 8601: only accounts changed after it. */
  readonly changedSince?: string;
  readonly count?: number;
  readonly cursor?: string;
}

/**
 * The sandbox's roster (`GET /v1/accounts`). Steps:
 * 1. a cursor that is not one this service handed out is refused (400), as is a count out of range;
 * 2. one page of the accounts the filters admit (`status` as of now; `changedSince` on the last
 *    change), with the cursor of the next page until the last.
 * Never pending requests: nobody has decided anything about them.
 */
export async function listRoster(query: RosterQuery, deps: RosterDeps): Promise<RosterPage> {
  if (query.cursor && !deps.pages.isCursor(query.cursor)) {
    throw new InvalidRequestError('The cursor is not one this service gave: start again without it.', 'cursor');
  }
  const count = query.count ?? ROSTER_PAGE;
  if (!Number.isInteger(count) || count < 1 || count > ROSTER_PAGE_MAX) {
    throw new InvalidRequestError(`Ask for 1 to ${ROSTER_PAGE_MAX} accounts a page (count).`, 'count');
  }
  const nowMs = deps.clock.nowMs();
  const filter = { ...(query.status ? { status: query.status } : {}), ...(query.changedSince ? { changedSince: query.changedSince } : {}) };
  const page = await deps.pages.page(query.cursor, count, (account) => onRoster(account, filter, nowMs));
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    itemsPerPage: page.accounts.length,
    Resources: page.accounts.map((account) => rosterEntry(account, nowMs)),
    ...(page.next ? { nextCursor: page.next } : {}),
  };
}
