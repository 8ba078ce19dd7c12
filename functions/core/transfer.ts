import type { Account, Moment } from './account';
import { withEvent } from './account-history';

/**
 * A contractor whose sponsor's mailbox is gone names another sponsor (docs/design.md §6): their
 * access stands while the new sponsor decides. Pure, like the other moves.
 */

/** Confirmed by its owner: the new request becomes the one the new sponsor decides; the current one is kept until then. */
export function transferConfirmed(account: Account, grant: { jti: string; expiresAt: number }, at: Moment): Account {
  const { transfer, ...rest } = account;
  if (!transfer) return account;
  const next: Account = {
    ...rest,
    ...(account.request ? { previousRequest: account.request } : {}),
    request: transfer,
    requestId: transfer.id,
    transferPending: true,
    approvalJti: grant.jti,
    approvalExpiresAt: grant.expiresAt,
  };
  return withEvent(next, 'email_verified', 'self', at);
}

/** Approved (the sponsorship already moved by the decision): what only the transfer carried is dropped. */
export function transferSettled(account: Account): Account {
  const { transferPending: _pending, previousRequest: _previous, sponsorUnreachableAt: _gone, ...rest } = account;
  return rest;
}

/** Denied: the access stands with the request it had; the new sponsor's is dropped. */
export function transferDenied(account: Account, decidedBy: string, at: Moment): Account {
  const { transferPending: _pending, previousRequest, ...rest } = account;
  const restored: Account = previousRequest ? { ...rest, request: previousRequest, requestId: previousRequest.id } : rest;
  return withEvent(restored, 'transfer_denied', decidedBy, at);
}
