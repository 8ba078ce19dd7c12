import type { Address, EligibilityPolicy } from '../core/address';
import { isEligibleDomain, isGovernmentLookalike, parseAddress } from '../core/address';
import { DomainNotEligibleError, DomainNotRegisteredError, InvalidEmailError, LookalikeDomainError } from '../core/errors';
import { addressProblemMessage, lookalikeDomainMessage } from './messages';
import { type RegistryCheckDeps, registryAgency } from './registry-check';
import { type LinkDeps, requestLink } from './request-link';

export interface SignUpDeps extends LinkDeps, RegistryCheckDeps {
  readonly policy: EligibilityPolicy;
  /** The registry's domain types admitted to sign up (none listed: every type). */
  readonly govDomainTypes: readonly string[];
}

export interface SignUpInput {
  readonly email: string;
  readonly name?: string;
  readonly clientIp: string;
  /** Where links point: the configured BASE_URL, never a client-supplied host. */
  readonly baseUrl: string;
  /** The client's counter, under way since before the request was read (see LinkRequest). */
  readonly counted?: Promise<unknown>;
}

/**
 * Self sign-up for .gov/.mil addresses. Steps:
 * 1. check the address alone (signUpAddress: errors are the only answers that differ);
 * 2. request a verification link for the canonical address (see requestLink), with the .gov
 *    registry's word on its domain looked up alongside the account's reads: not listed → 422
 *    `domain_not_registered`; a type not admitted → 422 `domain_not_eligible`; else its agency.
 */
export async function signUp(input: SignUpInput, deps: SignUpDeps): Promise<void> {
  const address = signUpAddress(input.email, deps.policy);
  const registry = registryAgency(address.domain, deps.govDomainTypes, deps, {
    notRegistered: (domain) =>
      new DomainNotRegisteredError(
        `${domain} is not in the official .gov registry, so addresses there cannot sign up. Check the address, or use your agency's registered .gov address.`,
        'email',
      ),
    typeNotAdmitted: (type) =>
      new DomainNotEligibleError(`This sandbox is not open to addresses at ${type.toLowerCase()} .gov domains.`, 'email'),
  });
  await requestLink(
    {
      email: address.canonical,
      ...(input.name ? { name: input.name } : {}),
      clientIp: input.clientIp,
      baseUrl: input.baseUrl,
      registry,
      ...(input.counted ? { counted: input.counted } : {}),
    },
    deps,
  );
  deps.metrics.count('SignupsAccepted');
}

/**
 * The checks of a sign-up address that need nothing else (syntax, a look-alike, eligibility by
 * suffix), so a form can run them beside its other fields' checks and report every problem at once.
 */
export function signUpAddress(email: string, policy: EligibilityPolicy): Address {
  const parsed = parseAddress(email);
  if (!parsed.ok) throw new InvalidEmailError(addressProblemMessage(parsed.problem));
  if (isGovernmentLookalike(parsed.address.domain, policy)) {
    throw new LookalikeDomainError(lookalikeDomainMessage(parsed.address.domain), 'email');
  }
  if (!isEligibleDomain(parsed.address.domain, policy)) {
    throw new DomainNotEligibleError(
      'Only .gov and .mil email addresses can sign up on their own. Contractors can ask an agency partner to sponsor them at /contractors.',
      'email',
    );
  }
  return parsed.address;
}
