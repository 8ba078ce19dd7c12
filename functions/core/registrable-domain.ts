import { getDomain } from 'tldts-icann';

/**
 * The part of an address's domain that one party registered, from the public suffix list
 * (`jo@mail.acme.co.uk` → `acme.co.uk`): what a sponsor is told about a contractor's address,
 * and what the new-address budget counts. Its own module, so only the functions that need it
 * carry the list. The ICANN section alone: private entries (`github.io`) are not registries an
 * agency or a contractor's employer is named by, and `getDomain` ignores them by default anyway.
 */
export function registrableDomainOf(canonical: string): string {
  const domain = canonical.slice(canonical.lastIndexOf('@') + 1);
  return getDomain(domain) ?? domain;
}
