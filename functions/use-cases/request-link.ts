import type { SponsorshipRequest } from '../core/account';
import { mailboxOf, maskAddress } from '../core/address';
import { hashLinkToken, newLinkId, newLinkToken } from '../core/link-token';
import type { AccountStore, Notifier, ReputationBreaker, SuppressionList } from '../core/ports';
import { planSignUp } from '../core/sign-up-plan';
import { type AnonymousSendDeps, chargeAnonymousEmail, heldBack } from './anonymous-send';
import { reportSend } from './report-send';

export interface LinkDeps extends AnonymousSendDeps {
  readonly store: AccountStore;
  /**
   * Sends without a suppression check of its own: requestLink reads the mailbox's suppression
   * with the account, before anything is planned, so a second read would only repeat it.
   */
  readonly mailer: Notifier;
  readonly breaker: ReputationBreaker;
  readonly suppressions: SuppressionList;
  readonly verifyTtlSeconds: number;
  readonly signInUrl?: string;
}

export interface LinkRequest {
  /** Canonical address: the account key and the only recipient. */
  readonly email: string;
  readonly name?: string;
  readonly sponsorship?: SponsorshipRequest;
  readonly clientIp: string;
  readonly baseUrl: string;
}

/**
 * The part a gov/mil sign-up and a contractor's request share. Steps:
 * 1. read the account, whether the mailbox is suppressed and whether the reputation breaker is
 *    open (together); a suppressed mailbox's record does not change, and while the breaker is
 *    open nothing is sent or written;
 * 2. plan: a new link, a notice to an active owner, or nothing;
 * 3. charge the service-wide budgets and the mailbox's allowance (anonymous-send.ts); past
 *    any, nothing is sent and nothing changes;
 * 4. write the plan conditionally; if another request won the race, send nothing;
 * 5. email the canonical address. A failed send is logged; the record stays consistent.
 * The caller answers the same way whatever happened here (no account enumeration).
 */
export async function requestLink(request: LinkRequest, deps: LinkDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  const who = maskAddress(request.email);
  const mailbox = mailboxOf(request.email);
  const [existing, suppressed, held] = await Promise.all([
    deps.store.get(request.email),
    deps.suppressions.isSuppressed(mailbox, nowMs),
    deps.breaker.isOpen(),
  ]);
  if (heldBack({ held, suppressed }, who, deps)) return;
  const linkId = existing?.linkId ?? newLinkId();
  const token = newLinkToken(linkId);
  const plan = planSignUp(
    existing,
    {
      email: request.email,
      ...(request.name ? { name: request.name } : {}),
      ...(request.sponsorship ? { sponsorship: request.sponsorship } : {}),
      linkId,
      tokenHash: hashLinkToken(token),
      verifyTtlSeconds: deps.verifyTtlSeconds,
    },
    { nowMs, ip: request.clientIp },
  );
  if (plan.action === 'nothing') {
    deps.log.info('request sends nothing', { recipient: who, reason: plan.reason });
    return;
  }
  if (!(await chargeAnonymousEmail(request.email, existing === undefined, who, deps))) return;
  if (plan.action === 'send_link' && !(await deps.store.put(plan.next, plan.expected))) {
    deps.log.info('request lost a race to a concurrent request', { recipient: who });
    return;
  }
  await reportSend(who, plan.action, deps, () =>
    deps.mailer.send(
      request.email,
      plan.action === 'send_link'
        ? {
            type: 'verify_link',
            link: `${request.baseUrl}/verify?token=${token}`,
            expiresAt: new Date((plan.next.verifyLinks?.at(-1)?.expiresAt ?? 0) * 1000),
            contractor: plan.next.kind === 'contractor',
          }
        : { type: 'already_active', ...(deps.signInUrl ? { signInUrl: deps.signInUrl } : {}) },
    ),
  );
}
