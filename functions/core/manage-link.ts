import { seconds } from './account';

/** A sponsor's record: the one management link that works (its hash), and when it stops working. */
export interface SponsorRecord {
  /** The sponsor's mailbox (canonical address without `+tag`): whom the link manages for. */
  readonly mailbox: string;
  readonly linkId?: string;
  readonly linkHash?: string;
  /** Epoch seconds. */
  readonly linkExpiresAt?: number;
  readonly version: number;
}

export type ManageLinkState = { readonly state: 'invalid' | 'expired' } | { readonly state: 'ready'; readonly sponsor: SponsorRecord };

/**
 * Classifies a management link's token against the sponsor record its link id names: only the
 * newest link works (a new one replaces it), any number of times within its lifetime.
 */
export function classifyManageLink(record: SponsorRecord | undefined, linkId: string, tokenHash: string, nowMs: number): ManageLinkState {
  if (!record || record.linkId !== linkId || record.linkHash !== tokenHash) return { state: 'invalid' };
  if (record.linkExpiresAt === undefined || seconds(nowMs) >= record.linkExpiresAt) return { state: 'expired' };
  return { state: 'ready', sponsor: record };
}

/** The record with a new current link: the previous one stops working. */
export function withNewLink(
  record: SponsorRecord | undefined,
  mailbox: string,
  link: { id: string; hash: string; expiresAt: number },
): SponsorRecord {
  return {
    mailbox,
    linkId: link.id,
    linkHash: link.hash,
    linkExpiresAt: link.expiresAt,
    version: (record?.version ?? -1) + 1,
  };
}
