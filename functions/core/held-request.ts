import type { Account, SponsorshipRequest } from './account';
import type { Agency } from './registry';

/**
 * A new request for an address whose account once had access is held beside the record until
 * its owner confirms the address: anyone can type an address, so until then the record stays as
 * it was (its sponsor may still renew it) and "This is not my request" withdraws only the request.
 */
export interface HeldRequest {
  readonly name?: string;
  readonly agency?: Agency;
  readonly registeredDomain?: string;
  readonly request?: SponsorshipRequest;
  readonly requestId?: string;
}

/** What a new request takes of nothing that came before: the previous request's approval, access and duties go. */
export function startedClean(account: Account): Account {
  const {
    approvalJti: _jti,
    approvalExpiresAt: _expires,
    name: _name,
    sponsoredBy: _sponsor,
    approvedAt: _approved,
    accessExpiresAt: _ends,
    remindedFor: _reminded,
    renewedAt: _renewed,
    expiredAt: _expired,
    dueAt: _due,
    remindAt: _remind,
    decisionReason: _reason,
    heldRequest: _held,
    ...rest
  } = account;
  return rest;
}

/**
 * An ended account with a held request: the request a confirmation of its link would take up.
 * Ended as stored: an active account past its end waits for the sweep to expire it (and tell the
 * sandbox) before a new request can replace its access.
 */
export function holdsRequest(account: Account): boolean {
  return account.heldRequest !== undefined && (account.status === 'expired' || account.status === 'no_decision');
}

/** The account as its held request, confirmed, starts from: pending, clean, with the request's details (same version). */
export function reopened(account: Account): Account {
  const held = account.heldRequest ?? {};
  return { ...startedClean(account), status: 'pending', ...held };
}

/** "Not my request": the held request and every verification link withdrawn; the record unchanged otherwise. */
export function withoutHeldRequest(account: Account): Account {
  const { heldRequest: _held, transfer: _transfer, ...kept } = account;
  return { ...kept, verifyLinks: [] };
}
