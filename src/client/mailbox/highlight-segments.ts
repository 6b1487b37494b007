import type { TextRange } from '../../shared/mail-reading-types';

/**
 * The text cut at the server's highlight ranges, each piece saying whether it is a match. Ranges outside the
 * text, overlapping or out of order are clipped or skipped: the pieces always add up to the text.
 */
export function highlightSegments(text: string, ranges: TextRange[] = []): Array<{ text: string; match: boolean }> {
  const out: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const [rawStart, rawEnd] of ranges) {
    const start = Math.max(at, Math.min(rawStart, text.length));
    const end = Math.min(Math.max(rawEnd, start), text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), match: false });
    out.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}
