import { LinkifyIt } from 'linkify-it';
import { asRead, looksLikeWebAddress } from './web-address';

/**
 * Text that people write (names, companies, justifications, reasons): docs/design.md §3 "Text that
 * people write". Pure; the HTTP layer turns a problem into 400 `invalid_request` naming the field.
 */

export type TextProblem = 'ill_formed' | 'control' | 'invisible' | 'separator' | 'link';

export interface TextRules {
  /** Ordinary line breaks (CR, LF) and tabs are allowed. */
  readonly multiline?: boolean;
  /** No URL-like text: a scheme (`http:`), `www.`, a host name or IP address a mail client would make a link of. */
  readonly noLinks?: boolean;
}

/** C0 and C1 controls (U+0000–001F, U+007F–009F). */
const CONTROL = /\p{Cc}/u;
/** The same, except tab, line feed and carriage return. */
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\t\n\r]/u;
/**
 * Characters that change what a reader sees without being seen: Unicode's default-ignorable code
 * points (the list the engine carries: bidirectional controls, zero-width characters, fillers,
 * variation selectors, tag characters…) and every other format character (U+061C and the like).
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
/** Line and paragraph separators (U+2028, U+2029): line breaks that some mail clients honour and others do not. */
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
/** What mail clients make clickable: bare host names, IP addresses and protocol-relative links included (built on first use). */
let linkify: LinkifyIt | undefined;
const mailClientLinks = (): LinkifyIt => {
  linkify ??= new LinkifyIt().set({ fuzzyLink: true, fuzzyIP: true, fuzzyEmail: false });
  return linkify;
};

function looksLikeLink(text: string): boolean {
  return looksLikeWebAddress(text) || mailClientLinks().test(asRead(text));
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
