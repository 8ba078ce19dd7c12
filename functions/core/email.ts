import type { Agency } from './registry';

/**
 * The one email type: what an email says, stored as it is in an account's outbox (plain JSON,
 * times as ISO strings) and rendered as it is. It never holds a link: each type names the kind of
 * link it carries (`linkOf`), and the sender resolves that kind to a URL when it sends — at the
 * first attempt and at every retry alike (service/links.ts), minting a fresh token where the link
 * needs one. An email that a stranger's request can trigger (a verification link, the "already
 * active" notice, the sponsor's review request, a sign-in code) carries only the service's own
 * words: no name, company or justification that a requester wrote.
 */
export type Email =
  | { readonly type: 'verify_link'; readonly contractor: boolean }
  | { readonly type: 'already_active' }
  /**
   * The contractor's confirmed address and its registrable domain (public suffix list), and the
   * agency the sponsor is asked at (the registry's words, never the requester's); emails stored
   * before agencies were recorded have none.
   */
  | {
      readonly type: 'sponsor_request';
      readonly contractor: { readonly email: string; readonly domain: string };
      readonly agency?: Agency;
    }
  /**
   * A sponsor's one-time sign-in code, asked for on the sign-in page and typed back there. Sent
   * at once and never stored in an outbox (a retry would send a code that no longer works).
   */
  | { readonly type: 'sign_in_code'; readonly code: string; readonly minutes: number }
  /** To a sponsor: someone signed in as another address tried to decide for them; nothing changed. */
  | {
      readonly type: 'decision_attempt';
      readonly signedInAs: string;
      readonly contractorEmail: string;
      readonly clientIp: string;
      readonly at: string;
    }
  /** To a sponsor before access they granted ends: whom, until when. */
  | {
      readonly type: 'renewal_reminder';
      readonly contractors: readonly {
        readonly name?: string;
        readonly email: string;
        readonly company: string;
        readonly accessExpiresAt: string;
      }[];
    }
  | { readonly type: 'sponsorship_approved'; readonly accessExpiresAt: string; readonly name?: string }
  | { readonly type: 'sponsorship_denied'; readonly reason?: string; readonly name?: string }
  /** To the sponsor after each of their decisions, renewals and ends: if it was not them, they hear of it. */
  | {
      readonly type: 'decision_receipt';
      readonly outcome: 'approved' | 'denied' | 'renewed' | 'ended';
      readonly contractorEmail: string;
      readonly clientIp: string;
      readonly at: string;
    }
  /** To a contractor: their access ended by itself, was renewed, or was ended by their sponsor. */
  | { readonly type: 'access_expired'; readonly sponsorEmail: string; readonly name?: string }
  /** To a contractor, once a period, when their sponsor is reminded: when it ends, and who can renew it. */
  | { readonly type: 'access_ending'; readonly accessExpiresAt: string; readonly sponsorEmail: string; readonly name?: string }
  /** To an active contractor whose sponsor's mailbox bounced: their access stands; another sponsor can renew it. */
  | { readonly type: 'sponsor_unreachable'; readonly sponsorEmail: string; readonly accessExpiresAt: string; readonly name?: string }
  /** A dormancy warning: the account ends on `dormantAt` unless its person keeps it (the link), or uses the sandbox (`byActivity`). */
  | { readonly type: 'dormancy_warning'; readonly dormantAt: string; readonly byActivity: boolean; readonly name?: string }
  /** The account ended, dormant: how to come back (a new sign-up, or a contractor's new request). */
  | { readonly type: 'account_dormant'; readonly contractor: boolean; readonly name?: string }
  /** To a contractor whose sponsor did not answer before the approval link expired: they may ask again. */
  | { readonly type: 'no_decision'; readonly sponsorEmail: string; readonly name?: string }
  | { readonly type: 'access_renewed'; readonly accessExpiresAt: string; readonly sponsorEmail?: string; readonly name?: string }
  | { readonly type: 'access_ended'; readonly sponsorEmail: string; readonly reason?: string; readonly name?: string }
  /** To a person whose access an operator ended, or gave back. */
  | { readonly type: 'account_revoked'; readonly reason?: string; readonly name?: string }
  | { readonly type: 'account_reinstated'; readonly accessExpiresAt?: string; readonly name?: string };

export type EmailType = Email['type'];

/**
 * The pages an email can link to. `verify` and `review` carry a token minted for the recipient
 * when the email is sent; `dashboard` (the sponsor signs in there), `new-request` and `sandbox`
 * are the same for everyone.
 */
export type LinkKind = 'verify' | 'review' | 'keep' | 'dashboard' | 'sign-up' | 'new-request' | 'sandbox';

const LINKS: Readonly<Record<EmailType, LinkKind | undefined>> = {
  verify_link: 'verify',
  already_active: 'sandbox',
  sponsor_request: 'review',
  sign_in_code: undefined,
  decision_attempt: 'dashboard',
  renewal_reminder: 'dashboard',
  sponsorship_approved: 'sandbox',
  sponsorship_denied: undefined,
  decision_receipt: 'dashboard',
  access_expired: 'new-request',
  access_ending: undefined,
  no_decision: 'new-request',
  dormancy_warning: 'keep',
  account_dormant: 'sign-up',
  sponsor_unreachable: 'new-request',
  access_renewed: undefined,
  access_ended: undefined,
  account_revoked: undefined,
  account_reinstated: 'sandbox',
};

/** The kind of link an email carries, if any. */
export function linkOf(email: Email): LinkKind | undefined {
  return LINKS[email.type];
}

/** A link as sent: its URL and, for a token's link, when the token expires (epoch seconds). */
export interface Link {
  readonly url: string;
  readonly expiresAt?: number;
}

/** Emails that an anonymous request triggers: the reputation breaker holds their retries too. */
export const ANONYMOUS_EMAILS: ReadonlySet<EmailType> = new Set(['verify_link', 'already_active', 'sign_in_code']);

/**
 * An email as an older version stored it: a reminder named one contractor (`contractor`) and
 * emails that link to the sandbox held its URL. Read as today's shape, so a retry renders alike.
 */
export function storedEmail(stored: Email): Email {
  const legacy = stored as unknown as Record<string, unknown>;
  if (legacy.type === 'renewal_reminder' && !('contractors' in legacy) && 'contractor' in legacy) {
    const { contractor, ...rest } = legacy;
    return { ...rest, contractors: [contractor] } as unknown as Email;
  }
  if ('signInUrl' in legacy) {
    const { signInUrl: _url, ...rest } = legacy;
    return rest as Email;
  }
  return stored;
}
