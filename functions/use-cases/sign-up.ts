import type { EligibilityPolicy } from '../core/address';
import { isEligibleDomain, parseAddress } from '../core/address';
import { DomainNotEligibleError, InvalidEmailError } from '../core/errors';
import { addressProblemMessage } from './messages';
import { type LinkDeps, requestLink } from './request-link';

export interface SignUpDeps extends LinkDeps {
  readonly policy: EligibilityPolicy;
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
 * 2. request a verification link for the canonical address (see requestLink).
 */
export async function signUp(input: SignUpInput, deps: SignUpDeps): Promise<void> {
  const parsed = parseAddress(input.email);
  if (!parsed.ok) throw new InvalidEmailError(addressProblemMessage(parsed.problem));
  if (!isEligibleDomain(parsed.address.domain, deps.policy)) {
    throw new DomainNotEligibleError(
      'Only .gov and .mil email addresses can sign up on their own. Contractors can ask an agency partner to sponsor them at /contractors.',
      'email',
    );
  }
  await requestLink(
    { email: parsed.address.canonical, ...(input.name ? { name: input.name } : {}), clientIp: input.clientIp, baseUrl: input.baseUrl },
    deps,
  );
  deps.metrics.count('SignupsAccepted');
}
