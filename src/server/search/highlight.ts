import type { SearchHighlights, TextRange } from '../../shared/mail-reading-types';
import { foldWithOrigins, tokenSpans } from './fold';
import type { SearchField, SearchQuery } from './parse-query';

/** The words a field's text is highlighted for: those of the query's positive terms that may match there. */
function wanted(query: SearchQuery, fields: SearchField[]): Array<{ word: string; prefix: boolean }> {
  const out: Array<{ word: string; prefix: boolean }> = [];
  for (const term of query.terms) {
    if (term.negated || !fields.includes(term.field)) continue;
    term.words.forEach((word, i) => out.push({ word, prefix: term.prefix && i === term.words.length - 1 }));
  }
  return out;
}

/**
 * Ranges `[start, end)` of the original text (UTF-16 offsets) whose words the query matched, in order and merged.
 * Plain ranges, never markup: the client wraps them itself, so nothing from a message becomes HTML.
 */
export function highlightRanges(text: string, words: Array<{ word: string; prefix: boolean }>): TextRange[] {
  if (!text || !words.length) return [];
  const { folded, origins, ends } = foldWithOrigins(text);
  const out: TextRange[] = [];
  for (const span of tokenSpans(folded)) {
    const hit = words.some((w) => (w.prefix ? span.token.startsWith(w.word) : span.token === w.word));
    if (!hit) continue;
    const start = origins[span.start];
    const end = ends[span.end - 1];
    const last = out[out.length - 1];
    if (last && last[1] >= start) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Where the query's words are in a list row's subject and snippet. */
export function highlight(query: SearchQuery, row: { subject: string; snippet: string }): SearchHighlights {
  return {
    subject: highlightRanges(row.subject, wanted(query, ['any', 'subject'])),
    snippet: highlightRanges(row.snippet, wanted(query, ['any'])),
  };
}
