/**
 * Web addresses in text, as a mail client or a browser would read them: what no address part, name
 * or reason should carry. Regular expressions only, so what imports it (the address rule) stays light.
 */

const SCHEME = /\b[a-z][a-z0-9+.-]*:\/{0,2}[^\s]/i;
const WWW = /\bwww\./i;
/** A host name (any top-level label, IDN or punycode) followed by a path, query, fragment or port. */
const DOMAIN_WITH_PATH = /[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:\p{L}{2,}|xn--[a-z0-9-]+)[/?#:]/iu;
/** What a browser reads as a dot in a host name (ideographic, fullwidth and halfwidth full stops). */
const DOTS = /[\u3002\uFF0E\uFF61]/g;

/** The text as a mail client or a browser would read it: fullwidth letters folded, every kind of dot a dot, `\\` a `/`. */
export const asRead = (text: string): string => text.normalize('NFKC').replace(DOTS, '.').replaceAll('\\', '/');

/** A scheme, `www.`, or a host name with a path: what no address part or name should carry. */
export function looksLikeWebAddress(text: string): boolean {
  const seen = asRead(text);
  // A colon followed by a space ("Re: access") is prose, not a scheme.
  return SCHEME.test(seen) || WWW.test(seen) || DOMAIN_WITH_PATH.test(seen);
}
