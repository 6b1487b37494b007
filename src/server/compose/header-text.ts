/**
 * A value that is safe to put in a header: RFC 2047 encoded words in a received subject or display name can
 * decode to CR/LF (and NUL), which would start a new header if reused as is. Line breaks, tabs and other control
 * characters become single spaces.
 */
export function cleanHeaderText(value: string | null | undefined, maxLength = 998): string {
  const flat = (value ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > maxLength ? flat.slice(0, maxLength).trim() : flat;
}
