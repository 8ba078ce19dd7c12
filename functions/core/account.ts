/**
 * Accounts (docs/design.md §3): the record and the states it moves through. The moves live beside it,
 * one file per job (sign-up-plan, verification, sponsorship, account-history). Pure: every
 * function takes the current record and the time and returns the next record or a decision;
 * the store writes it conditionally.
 *
 *   agency:      pending ──verify──▶ active ──revoke──▶ revoked
 *   contractor:  pending ──verify──▶ awaiting_sponsor ──approve──▶ active ──access ends──▶ expired
 *                                                     ├──deny────▶ denied   │  ▲ renew         │
 *                                                     └──no answer in time──▶ no_decision (may ask again)
 *                                                                end ──────┘  └───────────────┘
 *                                                                   ▼ revoked
 *   any active account ──its domain leaves the registry──▶ suspended ──reinstate (operator)──▶ active
 * (lifecycle.ts: expiry, reminder, renew and end.)
 */

import type { HeldRequest } from './held-request';
import type { Delivery } from './outbox';
import type { Agency } from './registry';

export const ACCOUNT_KINDS = ['agency', 'contractor'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const ACCOUNT_STATUSES = [
  'pending',
  'active',
  'awaiting_sponsor',
  'denied',
  'no_decision',
  'revoked',
  'expired',
  'suspended',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface HistoryEntry {
  /** ISO 8601 time of the event. */
  readonly at: string;
  readonly event: string;
  /** Who acted: the account holder's own request, a sponsor, an operator. */
  readonly by: string;
  /** The client address that sent the request. */
  readonly ip?: string;
  /** How the actor was authenticated: a signed-in sponsor's method (entries before sign-in say `emailed_link`). */
  readonly via?: Via['via'];
  /** OIDC: the provider's subject and the assurance level it reported. */
  readonly sub?: string;
  readonly acr?: string;
}

/** How a sponsor proved who they are, as the audit entry records it. */
export type Via =
  | { readonly via: 'oidc'; readonly sub: string; readonly acr?: string }
  | { readonly via: 'emailed_code' }
  | { readonly via: 'emailed_link' };

/** What a contractor asked for; `id` names the request in the sponsor's link (never the person). */
export interface SponsorshipRequest {
  readonly id: string;
  readonly company: string;
  readonly sponsorEmail: string;
  readonly justification: string;
  readonly requestedAt: string;
  /**
   * The contractor's registrable domain (`jo@mail.acme.co.uk` → `acme.co.uk`), shown to the
   * sponsor: worked out when the request is made, so the function that confirms it need not carry
   * the public suffix list. None on requests recorded before it was kept.
   */
  readonly contractorDomain?: string;
}

/** Why an active account was suspended: its domain left the .gov registry, or its mailbox is gone. */
export const SUSPEND_REASONS = ['domain_deregistered', 'mailbox_undeliverable'] as const;
export type SuspendReason = (typeof SUSPEND_REASONS)[number];

export const DECISIONS = ['approve', 'deny'] as const;
export type Decision = (typeof DECISIONS)[number];

/** What a sponsor is shown of a request: never token hashes, history or client addresses. */
export interface ContractorSummary {
  readonly name?: string;
  readonly email: string;
  readonly company: string;
  readonly justification: string;
  readonly requestedAt: string;
  /** The agency the sponsor is asked at (their own, as the .gov registry names it); none on records older than it. */
  readonly agency?: Agency;
}

export interface VerifyLink {
  readonly hash: string;
  /** Epoch seconds after which this link no longer works. */
  readonly expiresAt: number;
}

/**
 * How many of a pending account's newest links work. More than one, so a stranger's resend
 * cannot cancel the link its owner just asked for; few, so old links do not linger.
 */
export const LIVE_LINKS = 3;

export interface Account {
  readonly email: string;
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly name?: string;
  /** Who the address belongs to, as the .gov registry names it (a contractor: their sponsor's); none off the registry (.mil). */
  readonly agency?: Agency;
  /**
   * An agency address's registered domain (`it.gsa.gov` → `gsa.gov`) when the registry listed it:
   * how a domain that leaves the registry finds its accounts (index `byDomain`). Sparse.
   */
  readonly registeredDomain?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly activatedAt?: string;
  /** When the sandbox last saw the person (its activity reports): the dormancy clock's latest start. */
  readonly lastSeenAt?: string;
  /** Epoch seconds when an active account becomes dormant (core/dormancy.ts), and its warnings still to send. */
  readonly dormantAt?: number;
  readonly dormancyWarnings?: readonly number[];
  /** The warning emails' "keep my account" links: SHA-256 of each token and its expiry (the newest LIVE_LINKS). */
  readonly keepLinks?: readonly VerifyLink[];
  /** When the person last kept their account by the warning's button. */
  readonly keptAt?: string;
  /** Names the account's verification links (index `byLink`); kept after use, so a used link answers 409. */
  readonly linkId?: string;
  /** The newest verification links (at most LIVE_LINKS), oldest first: SHA-256 of each token and its expiry. */
  readonly verifyLinks?: readonly VerifyLink[];
  /** Epoch seconds when DynamoDB may delete a never-verified account. */
  readonly expireAt?: number;
  /** Contractors: the open request (its id also at the top level, for the request index). */
  readonly requestId?: string;
  readonly request?: SponsorshipRequest;
  /** The `jti` of the one approval token that may decide the request, and when it stops working. */
  readonly approvalJti?: string;
  readonly approvalExpiresAt?: number;
  readonly sponsoredBy?: string;
  readonly approvedAt?: string;
  readonly accessExpiresAt?: string;
  /** The `accessExpiresAt` of the period whose renewal reminder went out: one reminder per period. */
  readonly remindedFor?: string;
  readonly renewedAt?: string;
  readonly expiredAt?: string;
  readonly revokedAt?: string;
  /** What the sponsor wrote when ending the access. */
  readonly endReason?: string;
  /** Epoch seconds when this period's renewal reminder is due (set with the period). */
  readonly remindAt?: number;
  /** Epoch seconds of the next timed duty (reminder, expiry, a delivery): the sweep finds the account by it. */
  readonly dueAt?: number;
  /** Emails and webhook events this account's changes owe, until delivered (core/outbox.ts). */
  readonly outbox?: readonly Delivery[];
  /** The `sequence` of the newest event the sandbox acknowledged: an older one is never sent after it. */
  readonly eventsDeliveredThrough?: number;
  readonly deniedAt?: string;
  /** When and why the service suspended an active account (its domain or mailbox is gone); an operator reinstates. */
  readonly suspendedAt?: string;
  readonly suspendedFor?: SuspendReason;
  /** When the contractor was told their sponsor's mailbox bounced (once: SNS delivers at least once). */
  readonly sponsorUnreachableAt?: string;
  /**
   * An active contractor whose sponsor's mailbox is gone names another sponsor: the request, until
   * they confirm it (its link in `verifyLinks`); confirmed, it becomes `request` (the one the new
   * sponsor decides) with `transferPending`, the current one kept in `previousRequest` until then.
   */
  readonly transfer?: SponsorshipRequest;
  readonly transferPending?: true;
  readonly previousRequest?: SponsorshipRequest;
  /** A new request for this once-active account, until its owner confirms it (core/held-request.ts). */
  readonly heldRequest?: HeldRequest;
  readonly decisionReason?: string;
  readonly history: readonly HistoryEntry[];
  /** Optimistic lock: every write is conditional on the version that was read. */
  readonly version: number;
}

export interface Moment {
  /** Epoch milliseconds. */
  readonly nowMs: number;
  /** The client address of the request; none for the service's own timed work. */
  readonly ip?: string;
}

export type LinkState =
  | { readonly state: 'invalid' }
  | { readonly state: 'expired' }
  | { readonly state: 'done'; readonly status: AccountStatus }
  | { readonly state: 'ready'; readonly account: Account };

/** A suspension the person lifts by confirming their address again: the mailbox that bounced works once more. */
export const resumableByVerifying = (account: Account): boolean =>
  account.status === 'suspended' && account.suspendedFor === 'mailbox_undeliverable';

export const seconds = (ms: number): number => Math.floor(ms / 1000);
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Unverified accounts linger this long after their link expires, then DynamoDB TTL removes them. */
export const PENDING_RETENTION_SECONDS = 7 * 86_400;
