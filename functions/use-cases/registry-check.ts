import type { AppError } from '../core/errors';
import type { DomainRegistry } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { type Agency, agencyOffRegistry, isRegistryDomain, registryVerdict } from '../core/registry';

export interface RegistryCheckDeps {
  readonly registry: Pick<DomainRegistry, 'lookup'>;
}

/** What the registry listed: the registered domain (`it.gsa.gov` → `gsa.gov`) and who holds it. */
export interface RegistryStanding {
  /** None off the registry (`.mil`, an allowed suffix). */
  readonly domain?: string;
  readonly agency: Agency;
}

/**
 * What the .gov registry says of an address's domain (`it.gsa.gov` → `gsa.gov`): its standing, or
 * the refusal the caller words. Off the registry, the suffix names the agency (`.mil`: the Department
 * of Defense; an allowed suffix: itself).
 * Returned as a promise for the caller to await alongside its other reads.
 */
export function registryAgency(
  domain: string,
  admittedTypes: readonly string[],
  deps: RegistryCheckDeps & { readonly policy: { readonly allowedDomainSuffixes: readonly string[] } },
  refusals: { readonly notRegistered: (domain: string) => AppError; readonly typeNotAdmitted: (type: string) => AppError },
): Promise<RegistryStanding | undefined> {
  if (!isRegistryDomain(domain)) {
    const agency = agencyOffRegistry(domain, deps.policy.allowedDomainSuffixes);
    return Promise.resolve(agency ? { agency } : undefined);
  }
  const registered = registrableDomainOf(domain);
  return deps.registry.lookup(registered).then((entry) => {
    const verdict = registryVerdict(entry, admittedTypes);
    if (verdict.verdict === 'not_registered') throw refusals.notRegistered(registered);
    if (verdict.verdict === 'type_not_admitted') throw refusals.typeNotAdmitted(verdict.type);
    return { domain: registered, agency: verdict.agency };
  });
}
