import { getDomain } from 'tldts';

/**
 * The part of an address's domain that one party registered, from the public suffix list
 * (`jo@mail.acme.co.uk` → `acme.co.uk`): what a sponsor is told about a contractor's address,
 * and what the new-address budget counts. Its own module, so only
 * the function that writes the sponsor's email carries the list.
 */
export function registrableDomainOf(canonical: string): string {
  const domain = canonical.slice(canonical.lastIndexOf('@') + 1);
  return getDomain(domain) ?? domain;
}
