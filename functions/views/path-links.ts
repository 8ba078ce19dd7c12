/**
 * A path of this service written in a sentence ("…sponsor them at /contractors."): every page
 * that shows such a sentence links the path, the server's pages and the script's alike.
 */
const PATH_IN_TEXT = /(^|\s)(\/[a-z-]*)(?=[\s.,;:]|$)/g;

export type TextPart = { readonly text: string } | { readonly path: string };

export function splitPaths(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(PATH_IN_TEXT)) {
    const start = match.index + (match[1]?.length ?? 0);
    const path = match[2] ?? '';
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ path });
    last = start + path.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
