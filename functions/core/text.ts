/**
 * Text that people write (names, companies, justifications, reasons): docs/design.md §3 "Text that
 * people write". Pure; the HTTP layer turns a problem into 400 `invalid_request` naming the field.
 */

export type TextProblem = 'ill_formed' | 'control' | 'invisible' | 'separator' | 'link';

export interface TextRules {
  /** Ordinary line breaks (CR, LF) and tabs are allowed. */
  readonly multiline?: boolean;
  /** No URL-like text: a scheme (`http:`), `www.`, or a domain followed by a path. */
  readonly noLinks?: boolean;
}

/** C0 and C1 controls (U+0000–001F, U+007F–009F). */
const CONTROL = /\p{Cc}/u;
/** The same, except tab, line feed and carriage return. */
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\t\n\r]/u;
/**
 * Format characters: bidirectional controls (U+202A–202E, U+2066–2069, U+200E/F, U+061C),
 * zero-width characters (U+200B–200D, U+2060, U+FEFF), tag characters and the like. They
 * change what a reader sees without being seen, so they have no place in a name or a reason.
 */
const INVISIBLE = /\p{Cf}/u;
/** Line and paragraph separators (U+2028, U+2029): line breaks that some mail clients honour and others do not. */
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
const SCHEME = /\b[a-z][a-z0-9+.-]*:\/{0,2}[^\s]/i;
const WWW = /\bwww\./i;
const DOMAIN_WITH_PATH = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/\S?/i;

function looksLikeLink(text: string): boolean {
  // A colon followed by a space ("Re: access") is prose, not a scheme.
  return SCHEME.test(text) || WWW.test(text) || DOMAIN_WITH_PATH.test(text);
}

/** The first thing wrong with a piece of text, or undefined when it may be kept as written. */
export function textProblem(text: string, rules: TextRules = {}): TextProblem | undefined {
  // A lone surrogate once broke the SDK's request serializer for the *next* email (README, security notes).
  if (!text.isWellFormed()) return 'ill_formed';
  if ((rules.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(text)) return 'control';
  if (INVISIBLE.test(text)) return 'invisible';
  if (SEPARATOR.test(text)) return 'separator';
  if (rules.noLinks && looksLikeLink(text)) return 'link';
  return undefined;
}
