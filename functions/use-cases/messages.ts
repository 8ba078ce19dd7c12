import type { AddressProblem } from '../core/address';

const ADDRESS_MESSAGES: Record<AddressProblem, string> = {
  empty: 'Enter your email address.',
  too_long: 'That email address is too long. Enter an address of at most 254 characters.',
  invalid_character:
    'That email address contains a character we do not accept (spaces, quotes, brackets, commas, non-English letters). Enter it like name@agency.gov.',
  missing_at: 'Enter an email address with an @, like name@agency.gov.',
  multiple_at: 'Enter one email address with a single @, like name@agency.gov.',
  invalid_local_part: 'The part before the @ is not valid. Enter an email address like name@agency.gov.',
  link_like_local_part:
    'The part before the @ looks like a web address, which we do not put in emails. Enter your email address like name@agency.gov.',
  invalid_domain: 'The part after the @ is not a valid domain. Enter an email address like name@agency.gov.',
};

/** A .gov or .mil domain spelled with an `xn--` label: the person's own address. */
export function lookalikeDomainMessage(domain: string): string {
  return `${domain} only looks like a government domain: its "xn--" part stands for letters from another alphabet. Type your address again in plain English letters.`;
}

export function addressProblemMessage(problem: AddressProblem): string {
  return ADDRESS_MESSAGES[problem];
}
