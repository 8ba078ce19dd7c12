import { type EligibilityPolicy, isEligibleDomain, isRoleMailbox, mailboxOf, maskAddress, parseAddress } from '../core/address';
import type { Email } from '../core/email';
import { InvalidEmailError, SponsorNotEligibleError } from '../core/errors';
import type { Notifier, ReputationBreaker, SuppressionList } from '../core/ports';
import { emailLink, linkBase } from '../service/links';
import { type AnonymousSendDeps, chargeAnonymousEmail, heldBack } from './anonymous-send';
import { type IssueDeps, issueManageLink } from './issue-manage-link';
import { addressProblemMessage } from './messages';
import { reportSend } from './report-send';

export interface ManageLinkDeps extends AnonymousSendDeps, IssueDeps {
  /** Sends without its own suppression check: the suppression is read with the sponsor's record. */
  readonly mailer: Notifier;
  readonly breaker: ReputationBreaker;
  readonly suppressions: SuppressionList;
  readonly policy: EligibilityPolicy;
  readonly deniedSponsorMailboxes: readonly string[];
}

export interface ManageLinkInput {
  readonly email: string;
  readonly clientIp: string;
  readonly baseUrl: string;
}

/**
 * A sponsor asks for their management link (`POST /sponsors/link`). Steps:
 * 1. the address passes the address rule and could sponsor anyone (400, 422: the only answers
 *    that differ);
 * 2. read the sponsor's record, the mailbox's suppression and the breaker together; then the
 *    anonymous-send gates (anonymous-send.ts);
 * 3. write a new link (it replaces the previous one) and email it. Every eligible address gets
 *    a link, whether or not it sponsors anyone: the answer reveals nothing, and the page behind
 *    the link lists only this sponsor's contractors.
 */
export async function requestManageLink(input: ManageLinkInput, deps: ManageLinkDeps): Promise<void> {
  const parsed = parseAddress(input.email);
  if (!parsed.ok) throw new InvalidEmailError(addressProblemMessage(parsed.problem));
  if (!isEligibleDomain(parsed.address.domain, deps.policy)) {
    throw new SponsorNotEligibleError('Sponsors are agency employees with a .gov or .mil email address.', 'email');
  }
  const email = parsed.address.canonical;
  const mailbox = mailboxOf(email);
  if (isRoleMailbox(mailbox, deps.deniedSponsorMailboxes)) {
    throw new SponsorNotEligibleError('Sponsors are people: a shared mailbox such as info@ or noreply@ sponsors no one.', 'email');
  }
  deps.metrics.count('ManageLinksRequested');
  const who = maskAddress(email);
  const [record, suppressed, held] = await Promise.all([
    deps.sponsors.get(mailbox),
    deps.suppressions.isSuppressed(mailbox, deps.clock.nowMs()),
    deps.breaker.isOpen(),
  ]);
  if (heldBack({ held, suppressed }, who, deps)) return;
  if (!(await chargeAnonymousEmail(email, record === undefined, who, deps))) return;
  const link = await issueManageLink(mailbox, record, deps);
  if (!link) {
    deps.log.info('request lost a race to a concurrent request', { recipient: who });
    return;
  }
  const manageLink: Email = { type: 'manage_link' };
  await reportSend(who, 'manage_link', deps, () =>
    deps.mailer.send(email, manageLink, emailLink(manageLink, linkBase(input.baseUrl), link)),
  );
}
