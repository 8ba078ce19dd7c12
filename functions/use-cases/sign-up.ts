import { planSignUp, type EmailLimits } from '../core/account';
import { isEligibleDomain, maskAddress, parseAddress, type EligibilityPolicy } from '../core/address';
import { DomainNotEligibleError, InvalidEmailError } from '../core/errors';
import { hashLinkToken, newLinkToken } from '../core/link-token';
import { describeError } from '../core/redact';
import type { AccountStore, Clock, Log, Notifier } from '../core/ports';
import { addressProblemMessage } from './messages';

export interface SignUpDeps {
  readonly store: AccountStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly policy: EligibilityPolicy;
  readonly emailLimits: EmailLimits;
  readonly verifyTtlSeconds: number;
  readonly signInUrl?: string;
}

export interface SignUpInput {
  readonly email: string;
  readonly name?: string;
  readonly clientIp: string;
  /** Where links point: the configured BASE_URL, never a client-supplied host. */
  readonly baseUrl: string;
}

/**
 * Self sign-up for .gov/.mil addresses. Steps:
 * 1. check the address syntax, then its eligibility (errors are the only answers that differ);
 * 2. read the account and plan: a new link, a notice to an active owner, or nothing (limits);
 * 3. write the plan conditionally; if another request won the race, send nothing;
 * 4. email the canonical address.
 * The caller answers 202 the same way whatever happened in steps 2–4.
 */
export async function signUp(input: SignUpInput, deps: SignUpDeps): Promise<void> {
  const parsed = parseAddress(input.email);
  if (!parsed.ok) throw new InvalidEmailError(addressProblemMessage(parsed.problem));
  const { canonical, domain } = parsed.address;
  if (!isEligibleDomain(domain, deps.policy)) {
    throw new DomainNotEligibleError(
      'Only .gov and .mil email addresses can sign up on their own. Contractors can ask an agency partner to sponsor them at /contractors.',
      'email',
    );
  }

  const nowMs = deps.clock.nowMs();
  const token = newLinkToken();
  const existing = await deps.store.get(canonical);
  const plan = planSignUp(
    existing,
    {
      email: canonical,
      ...(input.name ? { name: input.name } : {}),
      tokenHash: hashLinkToken(token),
      verifyTtlSeconds: deps.verifyTtlSeconds,
    },
    { nowMs, ip: input.clientIp },
    deps.emailLimits,
  );
  const who = maskAddress(canonical);
  if (plan.action === 'nothing') {
    deps.log.info('sign-up sends nothing', { recipient: who, reason: plan.reason });
    return;
  }
  if (!(await deps.store.put(plan.next, plan.expected))) {
    deps.log.info('sign-up lost a race to a concurrent request', { recipient: who });
    return;
  }
  const name = plan.next.name;
  try {
    if (plan.action === 'send_link') {
      await deps.notifier.send(canonical, {
        type: 'verify_link',
        link: `${input.baseUrl}/verify?token=${token}`,
        expiresAt: new Date((plan.next.verifyExpiresAt ?? 0) * 1000),
        ...(name ? { name } : {}),
      });
    } else {
      await deps.notifier.send(canonical, {
        type: 'already_active',
        ...(deps.signInUrl ? { signInUrl: deps.signInUrl } : {}),
        ...(name ? { name } : {}),
      });
    }
    deps.log.info('sign-up email sent', { recipient: who, email: plan.action });
  } catch (error) {
    // The record is consistent either way: the person asks again after the cooldown.
    deps.log.error('sign-up email failed', { recipient: who, email: plan.action, error: describeError(error) });
  }
}
