/**
 * The address rule (docs/design.md §3): a deliberately strict subset of RFC 5322 so that what we check,
 * what we store and what SES delivers to are one and the same string. Quoted strings, comments,
 * domain literals, encoded words and anything non-ASCII are refused before any domain test.
 */

import { looksLikeWebAddress } from './web-address';

export type AddressProblem =
  | 'empty'
  | 'too_long'
  | 'invalid_character'
  | 'missing_at'
  | 'multiple_at'
  | 'invalid_local_part'
  | 'link_like_local_part'
  | 'invalid_domain';

export interface Address {
  /** The whole address lower-cased: the account key, the SES recipient, the only form logged (masked). */
  readonly canonical: string;
  readonly localPart: string;
  readonly domain: string;
}

export type AddressResult = { ok: true; address: Address } | { ok: false; problem: AddressProblem };

export const MAX_ADDRESS_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_DOMAIN_LENGTH = 253;

// RFC 5322 atext minus `?` (refused outright: it only ever appears in encoded words here).
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=^_`{|}~]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const FORBIDDEN = new Set(['"', '(', ')', '<', '>', '?', ',', ';', '[', ']', '\\']);

function isAsciiWhiteSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

/** Trims ASCII space, tab, CR and LF only: String#trim would also eat Unicode spaces. */
export function trimAsciiWhiteSpace(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && isAsciiWhiteSpace(input[start]!)) start++;
  while (end > start && isAsciiWhiteSpace(input[end - 1]!)) end--;
  return input.slice(start, end);
}

export function parseAddress(input: string): AddressResult {
  const value = trimAsciiWhiteSpace(input);
  if (value.length === 0) return { ok: false, problem: 'empty' };
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || FORBIDDEN.has(value[i]!)) {
      return { ok: false, problem: 'invalid_character' };
    }
  }
  if (value.length > MAX_ADDRESS_LENGTH) return { ok: false, problem: 'too_long' };

  const at = value.indexOf('@');
  if (at === -1) return { ok: false, problem: 'missing_at' };
  if (value.indexOf('@', at + 1) !== -1) return { ok: false, problem: 'multiple_at' };

  const localPart = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (localPart.length < 1 || localPart.length > MAX_LOCAL_PART_LENGTH || !DOT_ATOM.test(localPart)) {
    return { ok: false, problem: 'invalid_local_part' };
  }
  if (!isValidHostname(domain)) return { ok: false, problem: 'invalid_domain' };
  // The address is shown in emails (a sponsor's review request): a mail client would make a link of it.
  if (looksLikeWebAddress(localPart)) return { ok: false, problem: 'link_like_local_part' };

  const canonical = value.toLowerCase();
  return { ok: true, address: { canonical, localPart: localPart.toLowerCase(), domain: domain.toLowerCase() } };
}

/** A DNS host name of two or more labels, letters, digits and inner hyphens, no trailing dot. */
export function isValidHostname(domain: string, minLabels = 2): boolean {
  if (domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH) return false;
  const labels = domain.split('.');
  return labels.length >= minLabels && labels.every((label) => LABEL.test(label));
}

export interface EligibilityPolicy {
  /** Extra suffixes that count like `.gov` (lower-case, no leading dot), e.g. `fed.us`. */
  readonly allowedDomainSuffixes: readonly string[];
  /** Domains refused with all their subdomains (lower-case), even under `.gov` or `.mil`. */
  readonly deniedDomains: readonly string[];
}

export function isAtOrUnder(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/** Label-exact: `gov`/`mil` must be the whole last label, never a substring anywhere. */
export function isEligibleDomain(domain: string, policy: EligibilityPolicy): boolean {
  // Validate before lower-casing: toLowerCase maps some non-ASCII letters (the Kelvin sign) to ASCII.
  if (!isValidHostname(domain)) return false;
  const host = domain.toLowerCase();
  const lastLabel = host.slice(host.lastIndexOf('.') + 1);
  const allowed = lastLabel === 'gov' || lastLabel === 'mil' || policy.allowedDomainSuffixes.some((s) => isAtOrUnder(host, s));
  return allowed && !policy.deniedDomains.some((d) => isAtOrUnder(host, d));
}

/**
 * A domain that wears a government label where it does not count (`ssa.gov.sec-review.com`,
 * `mil.contractor.com`): a `gov` or `mil` label anywhere but last. A contractor's address never
 * needs one, and a sponsor reading it at a glance might take it for an agency's.
 */
export function isLookalikeDomain(domain: string): boolean {
  const labels = domain.toLowerCase().split('.');
  return labels.slice(0, -1).some((label) => label === 'gov' || label === 'mil');
}

/**
 * A government domain with an internationalised label (`xn--…`): a browser turns a look-alike
 * such as `agencу.gov` (Cyrillic `у`) into `xn--agenc-ize.gov` before we see it, and no real
 * agency's address needs one, so whoever reads it at a glance would be misled.
 */
export function isGovernmentLookalike(domain: string, policy: EligibilityPolicy): boolean {
  return (
    isEligibleDomain(domain, policy) &&
    domain
      .toLowerCase()
      .split('.')
      .some((label) => label.startsWith('xn--'))
  );
}

/**
 * The mailbox an address delivers to, for every per-recipient limit and the suppression list:
 * the canonical address with any `+tag` removed from the local part (`jane+x@agency.gov` and
 * `jane@agency.gov` are one inbox). The account key stays the canonical address.
 */
export function mailboxOf(canonical: string): string {
  const at = canonical.lastIndexOf('@');
  const plus = canonical.indexOf('+');
  return plus > 0 && plus < at ? `${canonical.slice(0, plus)}${canonical.slice(at)}` : canonical;
}

/** `jane.doe@agency.gov` → `j***@agency.gov`: enough to follow a case in the logs, not to mail anyone. */
export function maskAddress(canonical: string): string {
  const at = canonical.lastIndexOf('@');
  if (at < 1) return '***';
  return `${canonical[0]}***@${canonical.slice(at + 1)}`;
}

/** Whether a mailbox is a shared role mailbox (its part before the @ is one of `denied`): nobody in particular reads it. */
export function isRoleMailbox(mailbox: string, denied: readonly string[]): boolean {
  return denied.includes(mailbox.slice(0, mailbox.lastIndexOf('@')));
}
