import { randomBytes } from 'node:crypto';
import {
  type Address,
  type EligibilityPolicy,
  isEligibleDomain,
  isGovernmentLookalike,
  isLookalikeDomain,
  isRoleMailbox,
  mailboxOf,
  parseAddress,
} from '../core/address';
import {
  type AppError,
  InvalidEmailError,
  LookalikeDomainError,
  refusedTogether,
  SponsorIsRequesterError,
  SponsorNotEligibleError,
  UseDirectSignupError,
} from '../core/errors';
import { registrableDomainOf } from '../core/registrable-domain';
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
  /** The client's counter, under way since before the request was read (see LinkRequest). */
  readonly counted?: Promise<unknown>;
}

/**
 * A contractor asks an agency partner to sponsor them. Steps:
 * 1–2. the checks of the two addresses alone (sponsorshipAddresses);
 * 3. the contractor gets a verification link first: the sponsor hears of the request only once
 *    the requester has proved they own their address, and only then does it count against the
 *    sponsor's daily limit (see confirmVerification), so unconfirmed requests cost them nothing.
 */
export async function requestSponsorship(input: SponsorshipInput, deps: SponsorshipDeps): Promise<void> {
  const { requester, sponsor } = sponsorshipAddresses(input, deps);

  // The sponsor's domain, by the registry, looked up alongside the request's reads; the contractor
  // belongs to the sponsor's agency.
  const registry = registryAgency(sponsor.domain, deps.sponsorGovDomainTypes, deps, {
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
      email: requester.canonical,
      name: input.name,
      sponsorship: {
        id: randomBytes(16).toString('base64url'),
        company: input.company,
        sponsorEmail: sponsor.canonical,
        justification: input.justification,
        requestedAt: new Date(deps.clock.nowMs()).toISOString(),
        // Worked out here, where the public suffix list is carried anyway (the budgets, the registry).
        contractorDomain: registrableDomainOf(requester.canonical),
      },
      clientIp: input.clientIp,
      baseUrl: input.baseUrl,
      ...(input.counted ? { counted: input.counted } : {}),
    },
    deps,
  );
  deps.metrics.count('SponsorshipRequests');
}

/** Each field's first refusal, as one error (undefined: none). */
function refuse(...errors: readonly (AppError | undefined)[]): AppError | undefined {
  const [first, ...rest] = errors.filter((error) => error !== undefined);
  return first && refusedTogether(first, ...rest);
}

/**
 * The checks of a request's two addresses that need nothing else, so a form can run them beside
 * its other fields' checks and report every problem at once:
 * 1. both addresses pass the address rule (400 `invalid_email` naming the field);
 * 2. the sponsor is not the requester, the requester is not eligible on their own, the
 *    requester's domain does not imitate a government one, and the sponsor is an eligible
 *    person's own mailbox at a domain that is no imitation (422, in that order).
 */
export function sponsorshipAddresses(
  input: { readonly email: string; readonly sponsorEmail: string },
  deps: Pick<SponsorshipDeps, 'policy' | 'deniedSponsorMailboxes'>,
): { requester: Address; sponsor: Address } {
  const requester = parseAddress(input.email);
  const sponsor = parseAddress(input.sponsorEmail);
  if (!requester.ok || !sponsor.ok) {
    throw refuse(
      requester.ok ? undefined : new InvalidEmailError(addressProblemMessage(requester.problem), 'email'),
      sponsor.ok ? undefined : new InvalidEmailError(`Sponsor's address: ${addressProblemMessage(sponsor.problem)}`, 'sponsorEmail'),
    );
  }
  if (mailboxOf(requester.address.canonical) === mailboxOf(sponsor.address.canonical)) {
    throw new SponsorIsRequesterError('Your sponsor must be someone else: an agency employee with a .gov or .mil address.', 'sponsorEmail');
  }
  const refused = refuse(requesterProblem(requester.address, deps.policy), sponsorProblem(sponsor.address, deps));
  if (refused) throw refused;
  return { requester: requester.address, sponsor: sponsor.address };
}

function requesterProblem(requester: Address, policy: EligibilityPolicy): AppError | undefined {
  if (isGovernmentLookalike(requester.domain, policy) || isLookalikeDomain(requester.domain)) {
    return new LookalikeDomainError(
      'Your address looks like a government address but is not one. Use the address your own company gave you.',
      'email',
    );
  }
  if (isEligibleDomain(requester.domain, policy)) {
    return new UseDirectSignupError(
      'Your address can sign up on its own: use the sign-up page at / instead of asking for a sponsor.',
      'email',
    );
  }
  return undefined;
}

function sponsorProblem(sponsor: Address, deps: Pick<SponsorshipDeps, 'policy' | 'deniedSponsorMailboxes'>): AppError | undefined {
  if (isGovernmentLookalike(sponsor.domain, deps.policy)) {
    return new LookalikeDomainError(
      `Your sponsor's domain, ${sponsor.domain}, only looks like a government domain: its "xn--" part stands for letters from another alphabet. Type their address in plain English letters.`,
      'sponsorEmail',
    );
  }
  if (!isEligibleDomain(sponsor.domain, deps.policy))
    return new SponsorNotEligibleError('Your sponsor must have a .gov or .mil email address.', 'sponsorEmail');
  if (isRoleMailbox(mailboxOf(sponsor.canonical), deps.deniedSponsorMailboxes)) {
    return new SponsorNotEligibleError(
      'Your sponsor must be a person’s own address, not a shared mailbox such as info@ or noreply@.',
      'sponsorEmail',
    );
  }
  return undefined;
}
