import { randomBytes } from 'node:crypto';
import { type EligibilityPolicy, isEligibleDomain, isLookalikeDomain, isRoleMailbox, mailboxOf, parseAddress } from '../core/address';
import {
  InvalidEmailError,
  LookalikeDomainError,
  SponsorIsRequesterError,
  SponsorNotEligibleError,
  UseDirectSignupError,
} from '../core/errors';
import { addressProblemMessage } from './messages';
import { type RegistryCheckDeps, registryAgency } from './registry-check';
import { type LinkDeps, requestLink } from './request-link';

export interface SponsorshipDeps extends LinkDeps, RegistryCheckDeps {
  readonly policy: EligibilityPolicy;
  /** The registry's domain types admitted to sponsor (none listed: every type). */
  readonly sponsorGovDomainTypes: readonly string[];
  /** Local parts of shared mailboxes (`info`, `noreply`…) that cannot sponsor anyone. */
  readonly deniedSponsorMailboxes: readonly string[];
}

export interface SponsorshipInput {
  readonly email: string;
  readonly name: string;
  readonly company: string;
  readonly sponsorEmail: string;
  readonly justification: string;
  readonly clientIp: string;
  readonly baseUrl: string;
}

/**
 * A contractor asks an agency partner to sponsor them. Steps:
 * 1. both addresses pass the address rule (400 `invalid_email` naming the field);
 * 2. the sponsor is not the requester, the requester is not eligible on their own, the
 *    requester's domain does not wear a government label, and the sponsor is an eligible
 *    person's own mailbox (422, in that order);
 * 3. the contractor gets a verification link first: the sponsor hears of the request only once
 *    the requester has proved they own their address, and only then does it count against the
 *    sponsor's daily limit (see confirmVerification), so unconfirmed requests cost them nothing.
 */
export async function requestSponsorship(input: SponsorshipInput, deps: SponsorshipDeps): Promise<void> {
  const requester = parseAddress(input.email);
  if (!requester.ok) throw new InvalidEmailError(addressProblemMessage(requester.problem), 'email');
  const sponsor = parseAddress(input.sponsorEmail);
  if (!sponsor.ok) throw new InvalidEmailError(`Sponsor's address: ${addressProblemMessage(sponsor.problem)}`, 'sponsorEmail');
  if (mailboxOf(requester.address.canonical) === mailboxOf(sponsor.address.canonical)) {
    throw new SponsorIsRequesterError('Your sponsor must be someone else: an agency employee with a .gov or .mil address.', 'sponsorEmail');
  }
  if (isEligibleDomain(requester.address.domain, deps.policy)) {
    throw new UseDirectSignupError(
      'Your address can sign up on its own: use the sign-up page at / instead of asking for a sponsor.',
      'email',
    );
  }
  if (isLookalikeDomain(requester.address.domain)) {
    throw new LookalikeDomainError(
      'Your address looks like a government address but is not one. Use the address your own company gave you.',
      'email',
    );
  }
  if (!isEligibleDomain(sponsor.address.domain, deps.policy)) {
    throw new SponsorNotEligibleError('Your sponsor must have a .gov or .mil email address.', 'sponsorEmail');
  }
  const sponsorMailbox = mailboxOf(sponsor.address.canonical);
  if (isRoleMailbox(sponsorMailbox, deps.deniedSponsorMailboxes)) {
    throw new SponsorNotEligibleError(
      'Your sponsor must be a person’s own address, not a shared mailbox such as info@ or noreply@.',
      'sponsorEmail',
    );
  }

  // The sponsor's domain, by the registry, looked up alongside the request's reads; the contractor
  // belongs to the sponsor's agency.
  const registry = registryAgency(sponsor.address.domain, deps.sponsorGovDomainTypes, deps, {
    notRegistered: (domain) =>
      new SponsorNotEligibleError(
        `Your sponsor's domain, ${domain}, is not in the official .gov registry. Check their address.`,
        'sponsorEmail',
      ),
    typeNotAdmitted: (type) =>
      new SponsorNotEligibleError(`Sponsors at ${type.toLowerCase()} .gov domains cannot sponsor access to this sandbox.`, 'sponsorEmail'),
  });
  await requestLink(
    {
      registry,
      email: requester.address.canonical,
      name: input.name,
      sponsorship: {
        id: randomBytes(16).toString('base64url'),
        company: input.company,
        sponsorEmail: sponsor.address.canonical,
        justification: input.justification,
        requestedAt: new Date(deps.clock.nowMs()).toISOString(),
      },
      clientIp: input.clientIp,
      baseUrl: input.baseUrl,
    },
    deps,
  );
  deps.metrics.count('SponsorshipRequests');
}
