import type { AppError } from '../core/errors';
import type { DomainRegistry } from '../core/ports';
import { registrableDomainOf } from '../core/registrable-domain';
import { type Agency, isRegistryDomain, registryVerdict } from '../core/registry';

export interface RegistryCheckDeps {
  readonly registry: Pick<DomainRegistry, 'lookup'>;
}

/**
 * What the .gov registry says of an address's domain (`it.gsa.gov` → `gsa.gov`): its agency, or
 * the refusal the caller words. Off the registry (`.mil`, other allowed suffixes): nothing to say.
 * Returned as a promise for the caller to await alongside its other reads.
 */
export function registryAgency(
  domain: string,
  admittedTypes: readonly string[],
  deps: RegistryCheckDeps,
  refusals: { readonly notRegistered: (domain: string) => AppError; readonly typeNotAdmitted: (type: string) => AppError },
): Promise<Agency | undefined> {
  if (!isRegistryDomain(domain)) return Promise.resolve(undefined);
  const registered = registrableDomainOf(domain);
  return deps.registry.lookup(registered).then((entry) => {
    const verdict = registryVerdict(entry, admittedTypes);
    if (verdict.verdict === 'not_registered') throw refusals.notRegistered(registered);
    if (verdict.verdict === 'type_not_admitted') throw refusals.typeNotAdmitted(verdict.type);
    return verdict.agency;
  });
}
