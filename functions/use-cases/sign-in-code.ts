import {
  type EligibilityPolicy,
  isEligibleDomain,
  isGovernmentLookalike,
  isRoleMailbox,
  mailboxOf,
  maskAddress,
  parseAddress,
} from '../core/address';
import type { Email } from '../core/email';
import { InvalidCodeError, InvalidEmailError, LookalikeDomainError, RateLimitedError, SponsorNotEligibleError } from '../core/errors';
import type { Notifier, ReputationBreaker, SponsorDirectory, SuppressionList } from '../core/ports';
import type { SessionTokens, SponsorSession } from '../core/session';
import { CODE_TTL_SECONDS, checkCode, isLocked, newSignInCode, typedCode, withNewCode } from '../core/sign-in-code';
import { type AnonymousSendDeps, chargeAnonymousEmail, heldBack } from './anonymous-send';
import { addressProblemMessage, lookalikeDomainMessage } from './messages';
import { type RegistryCheckDeps, registryAgency } from './registry-check';
import { reportSend } from './report-send';
import { untilSettled } from './retry-write';

export interface SignInCodeDeps extends AnonymousSendDeps, RegistryCheckDeps {
  readonly sponsors: SponsorDirectory;
  /** The .gov domain types whose people may sponsor (none listed: every type). */
  readonly sponsorGovDomainTypes: readonly string[];
  /** Sends without its own suppression check: the suppression is read with the sponsor's record. */
  readonly mailer: Notifier;
  readonly breaker: ReputationBreaker;
  readonly suppressions: SuppressionList;
  readonly policy: EligibilityPolicy;
  readonly deniedSponsorMailboxes: readonly string[];
}

export interface VerifyCodeDeps {
  readonly sponsors: SponsorDirectory;
  readonly sessions: SessionTokens;
  readonly clock: AnonymousSendDeps['clock'];
  readonly log: AnonymousSendDeps['log'];
  readonly metrics: AnonymousSendDeps['metrics'];
}

/** The address typed on the sign-in page, if it could sponsor anyone: its mailbox. */
function sponsorMailbox(
  input: string,
  deps: Pick<SignInCodeDeps, 'policy' | 'deniedSponsorMailboxes'>,
): { email: string; mailbox: string; domain: string } {
  const parsed = parseAddress(input);
  if (!parsed.ok) throw new InvalidEmailError(addressProblemMessage(parsed.problem));
  if (isGovernmentLookalike(parsed.address.domain, deps.policy)) {
    throw new LookalikeDomainError(lookalikeDomainMessage(parsed.address.domain), 'email');
  }
  if (!isEligibleDomain(parsed.address.domain, deps.policy)) {
    throw new SponsorNotEligibleError('Sponsors are agency employees with a .gov or .mil email address.', 'email');
  }
  const mailbox = mailboxOf(parsed.address.canonical);
  if (isRoleMailbox(mailbox, deps.deniedSponsorMailboxes)) {
    throw new SponsorNotEligibleError('Sponsors are people: a shared mailbox such as info@ or noreply@ sponsors no one.', 'email');
  }
  return { email: parsed.address.canonical, mailbox, domain: parsed.address.domain };
}

/**
 * A sponsor asks for a sign-in code (`POST /sign-in/code`). Steps:
 * 1. the address passes the address rule and could sponsor anyone (400, 422: the only answers
 *    that differ);
 * 2. read the sponsor's record, the mailbox's suppression, the breaker and the .gov registry's
 *    word on the domain together: a domain the registry does not list (or whose type may not
 *    sponsor) is 422 and is sent nothing (mail to a domain that does not exist bounces); a
 *    locked mailbox gets nothing; then the anonymous-send gates (anonymous-send.ts);
 * 3. write a new code's hash (it replaces the previous one) and email the code. Every eligible
 *    address gets one, whether or not it sponsors anyone: the answer reveals nothing.
 */
export async function requestSignInCode(input: { readonly email: string; readonly clientIp: string }, deps: SignInCodeDeps): Promise<void> {
  const { email, mailbox, domain } = sponsorMailbox(input.email, deps);
  deps.metrics.count('SignInCodesRequested');
  const who = maskAddress(email);
  const [record, suppressed, held] = await Promise.all([
    deps.sponsors.get(mailbox),
    deps.suppressions.isSuppressed(mailbox, deps.clock.nowMs()),
    deps.breaker.isOpen(),
    registryAgency(domain, deps.sponsorGovDomainTypes, deps, {
      notRegistered: (domain) =>
        new SponsorNotEligibleError(`${domain} is not in the official .gov registry, so addresses there sponsor no one.`, 'email'),
      typeNotAdmitted: (type) =>
        new SponsorNotEligibleError(`People at ${type.toLowerCase()} .gov domains cannot sponsor access to this sandbox.`, 'email'),
    }),
  ]);
  if (isLocked(record, deps.clock.nowMs())) {
    deps.log.warn('security: sign-in code not sent: the mailbox is locked after wrong codes', { recipient: who });
    deps.metrics.count('SignInCodesRefused');
    return;
  }
  if (heldBack({ held, suppressed }, who, deps)) return;
  const charge = await chargeAnonymousEmail(
    email,
    { neverEmailed: record === undefined, clientIp: input.clientIp, canWait: false },
    who,
    deps,
  );
  if (charge.outcome !== 'send') return;
  const code = newSignInCode();
  if (!(await deps.sponsors.put(withNewCode(record, mailbox, code, deps.clock.nowMs()), record?.version ?? null))) {
    deps.log.info('request lost a race to a concurrent request', { recipient: who });
    return;
  }
  const message: Email = { type: 'sign_in_code', code, minutes: CODE_TTL_SECONDS / 60 };
  await reportSend(who, 'sign_in_code', deps, () => deps.mailer.send(email, message));
}

const WRONG_CODE = 'That code did not work. Check the newest code we emailed you, or ask for a new one.';

/**
 * The sponsor types the code back (`POST /sign-in/verify`). Steps:
 * 1. read the mailbox's record; a locked mailbox is refused (429) before any comparison;
 * 2. compare in constant time; wrong, expired, used or never sent are one answer (400), and a
 *    wrong code is counted (conditional write): the fifth locks the mailbox's codes for an hour;
 * 3. right: the code is used up (conditional write: of two concurrent uses one wins) and a
 *    session is issued for the mailbox.
 */
export async function verifySignInCode(
  input: { readonly email: string; readonly code: string },
  deps: VerifyCodeDeps & Pick<SignInCodeDeps, 'policy' | 'deniedSponsorMailboxes'>,
): Promise<{ token: string; session: SponsorSession }> {
  const { mailbox } = sponsorMailbox(input.email, deps);
  const code = typedCode(input.code);
  if (!/^\d{6}$/.test(code)) throw new InvalidCodeError(WRONG_CODE, 'code');
  const verdict = await untilSettled(async () => {
    const record = await deps.sponsors.get(mailbox);
    const checked = checkCode(record, code, deps.clock.nowMs());
    if (checked.next && !(await deps.sponsors.put(checked.next, record!.version))) return undefined;
    return checked;
  });
  if (!verdict) throw new InvalidCodeError(WRONG_CODE, 'code');
  if (verdict.verdict === 'locked') {
    deps.log.warn('security: sign-in refused: too many wrong codes', { mailbox: maskAddress(mailbox) });
    deps.metrics.count('SignInCodesRefused');
    throw new RateLimitedError(
      `Too many wrong codes for this address. Wait ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes, then ask for a new code.`,
      verdict.retryAfterSeconds,
    );
  }
  if (verdict.verdict === 'wrong') {
    deps.log.warn('security: wrong sign-in code', { mailbox: maskAddress(mailbox) });
    deps.metrics.count('TokenFailures', { purpose: 'sign-in-code', reason: 'wrong' });
    throw new InvalidCodeError(WRONG_CODE, 'code');
  }
  deps.metrics.count('SignIns', { method: 'emailed_code' });
  deps.log.info('sponsor signed in', { mailbox: maskAddress(mailbox), method: 'emailed_code' });
  return deps.sessions.issue({ mailbox, method: 'emailed_code' }, deps.clock.nowMs());
}
