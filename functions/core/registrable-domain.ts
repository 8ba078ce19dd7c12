import { getDomain } from 'tldts';

/**
 * The part of a host name that one party registered, from the public suffix list (`mail.acme.co.uk`
 * → `acme.co.uk`): what a sponsor is told about a contractor's address. Its own module, so only
 * the function that writes the sponsor's email carries the list.
 */
export function registrableDomain(domain: string): string {
  return getDomain(domain) ?? domain;
}
