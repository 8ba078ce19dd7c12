import type { SponsorshipRequest } from '../core/account';
import { touched } from '../core/account-history';
import { mailboxOf, maskAddress } from '../core/address';
import type { Email } from '../core/email';
import { scheduled } from '../core/lifecycle';
import { hashLinkToken, newLinkId, newLinkToken } from '../core/link-token';
import { emailHeld, emailNow, newDeliveryId, superseding } from '../core/outbox';
import type { AccountStore, Notifier, ReputationBreaker, SuppressionList } from '../core/ports';
import { planSignUp } from '../core/sign-up-plan';
import { linkBase } from '../service/links';
import { type AnonymousSendDeps, chargeAnonymousEmail, heldBack } from './anonymous-send';
import { type DeliverDeps, sendNow } from './deliver';
import { besideCounter } from './limit-client';
import type { RegistryStanding } from './registry-check';

export interface LinkDeps extends AnonymousSendDeps, DeliverDeps {
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
  /**
   * What the .gov registry says of the address (or of the sponsor's), looked up *alongside* the
   * account's reads so a request makes no extra round trip: its refusal is the answer (nothing is
   * written or sent), its agency is recorded on a new request.
   */
  readonly registry?: Promise<RegistryStanding | undefined>;
  /**
   * The client's counter, started before the request was read: awaited beside the reads (which
   * charge nothing), so a request makes no round trip of its own for it, and its 429 still comes
   * before anything is charged or written.
   */
  readonly counted?: Promise<unknown>;
}

/**
 * The part a gov/mil sign-up and a contractor's request share. Steps:
 * 1. read the account, whether the mailbox is suppressed and whether the reputation breaker is
 *    open (together, and beside the client's counter: its 429 wins); a suppressed mailbox's record
 *    does not change, and while the breaker is open nothing is sent or written;
 * 2. plan: a new link, a notice to an active owner, or nothing;
 * 3. charge the service-wide budgets and the mailbox's allowance (anonymous-send.ts): past the
 *    allowance, nothing is sent and nothing changes; past a budget, the request is written with
 *    its email held for the sweep (delayed, not dropped);
 * 4. write the plan conditionally, with the email's intent in the outbox; if another request won
 *    the race, send nothing;
 * 5. email the canonical address and clear the intent; a failed send stays for the sweep, which
 *    retries with a fresh link.
 * The caller answers the same way whatever happened here (no account enumeration).
 */
export async function requestLink(request: LinkRequest, deps: LinkDeps): Promise<void> {
  const nowMs = deps.clock.nowMs();
  const who = maskAddress(request.email);
  const mailbox = mailboxOf(request.email);
  const [existing, suppressed, held, standing] = await besideCounter(
    request.counted,
    Promise.all([deps.store.get(request.email), deps.suppressions.isSuppressed(mailbox, nowMs), deps.breaker.isOpen(), request.registry]),
  );
  if (heldBack({ held, suppressed }, who, deps)) return;
  const linkId = existing?.linkId ?? newLinkId();
  const token = newLinkToken(linkId);
  const plan = planSignUp(
    existing,
    {
      email: request.email,
      ...(request.name ? { name: request.name } : {}),
      ...(request.sponsorship ? { sponsorship: request.sponsorship } : {}),
      ...(standing ? { agency: standing.agency } : {}),
      // Only an agency address is on the domain: a contractor's agency is their sponsor's.
      ...(standing?.domain && !request.sponsorship ? { registeredDomain: standing.domain } : {}),
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
  const charge = await chargeAnonymousEmail(
    request.email,
    { neverEmailed: existing === undefined, clientIp: request.clientIp, canWait: true },
    who,
    deps,
  );
  if (charge.outcome === 'refused') return;
  // The email's intent is written with the change (or, for a notice, with the unchanged account),
  // so an outage or a crash before the send leaves it for the sweep; then it goes at once —
  // unless a budget holds it, when the sweep sends it once the budget has room.
  const id = newDeliveryId();
  const email: Email =
    plan.action === 'send_link' ? { type: 'verify_link', contractor: plan.next.kind === 'contractor' } : { type: 'already_active' };
  const base = plan.action === 'send_link' ? plan.next : touched(existing!, { nowMs });
  const intent =
    charge.outcome === 'held'
      ? emailHeld(id, request.email, email, nowMs, charge.untilSeconds, charge.charges)
      : emailNow(id, request.email, email, nowMs, deps.delivery);
  const next = scheduled(superseding(base, intent));
  if (!(await deps.store.put(next, plan.action === 'send_link' ? plan.expected : existing!.version))) {
    deps.log.info('request lost a race to a concurrent request', { recipient: who });
    return;
  }
  if (charge.outcome === 'held') return;
  const minted = plan.action === 'send_link' ? { [id]: { token, expiresAt: plan.next.verifyLinks?.at(-1)?.expiresAt ?? 0 } } : {};
  await sendNow(next, [id], { base: linkBase(request.baseUrl, deps.signInUrl), minted }, deps.mailer, deps);
}
