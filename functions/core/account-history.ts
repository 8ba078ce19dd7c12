import { type Account, type HistoryEntry, iso, type Moment, type Via } from './account';

/** A write that changes no state (a new link for the same request): no history entry, so no request can grow the item. */
export function touched(account: Account, at: Moment): Account {
  return { ...account, updatedAt: iso(at.nowMs), version: account.version + 1 };
}

/** A state change and its audit entry: the history records state changes only, never emails sent. */
export function withEvent(account: Account, event: string, by: string, at: Moment, via?: Via): Account {
  return {
    ...account,
    updatedAt: iso(at.nowMs),
    history: [...account.history, { at: iso(at.nowMs), event, by, ...(at.ip ? { ip: at.ip } : {}), ...via }],
    version: account.version + 1,
  };
}

/** How many history entries an account item keeps; older ones move to archive items first. */
export const HISTORY_ON_ITEM = 100;

/** The account as stored (the newest HISTORY_ON_ITEM entries) and the older entries to archive. */
export function splitHistory(account: Account): { readonly kept: Account; readonly archived: readonly HistoryEntry[] } {
  const excess = account.history.length - HISTORY_ON_ITEM;
  if (excess <= 0) return { kept: account, archived: [] };
  return { kept: { ...account, history: account.history.slice(excess) }, archived: account.history.slice(0, excess) };
}
