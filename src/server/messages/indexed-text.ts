/**
 * The plain text of a body kept for search (`mailMessages.indexedText`): bounded, so a huge message costs the index
 * no more than a page of text, and clean, so every dialect stores it.
 */

/** Bytes of a body part fetched for the index, and characters kept of its text (64 KB). */
export const DEFAULT_INDEXED_TEXT_BYTES = 65_536;

/**
 * Whitespace runs as one space and without control characters (NUL survives charset decoding and PostgreSQL text
 * rejects it), cut at `maxChars` without splitting a surrogate pair.
 */
export function boundIndexedText(text: string | null | undefined, maxChars = DEFAULT_INDEXED_TEXT_BYTES): string {
  if (!text) return '';
  const flat = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
