import type { SearchObject } from 'imapflow';
import { invalidInput } from '../errors/mail-error';

/**
 * A search as IMAP SEARCH can run it (RFC 3501 §6.4.4): the subset of the mailbox search syntax a server
 * understands. Words and "phrases" match anywhere in the message (TEXT), `from:`, `to:`, `cc:` and `subject:` their
 * header, `after:` / `before:` the received date (SINCE / BEFORE, ISO dates), `is:unread|read|flagged` the flags,
 * and `-term` excludes. Every term must match.
 */
export interface ServerSearchTerm {
  field: 'text' | 'from' | 'to' | 'cc' | 'subject' | 'since' | 'before' | 'seen' | 'flagged';
  value: string | Date | boolean;
  negated: boolean;
}

/** The longest query accepted: a search, not a document. */
export const MAX_SERVER_QUERY_LENGTH = 500;

const HEADER_FIELDS = new Set(['from', 'to', 'cc', 'subject']);
const TOKEN = /(-?)(?:([a-z]+):)?(?:"([^"]*)"|(\S*))/giy;

function isoDate(value: string, operator: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.getUTCDate() !== Number(m![3]))
    throw invalidInput(`${operator}: takes a date as YYYY-MM-DD, such as ${operator}:2024-03-01.`);
  return date;
}

function flagTerm(value: string, negated: boolean): ServerSearchTerm {
  switch (value.toLowerCase()) {
    case 'unread':
      return { field: 'seen', value: false, negated };
    case 'read':
      return { field: 'seen', value: true, negated };
    case 'flagged':
      return { field: 'flagged', value: true, negated };
    default:
      throw invalidInput(`is:${value} is not known here; use is:unread, is:read or is:flagged.`);
  }
}

/** Reads the query typed in the search box; a query the server cannot run is a 400 that says why. */
export function parseServerSearch(raw: unknown): ServerSearchTerm[] {
  const query = typeof raw === 'string' ? raw.trim() : '';
  if (!query) throw invalidInput('Type what to search for.');
  if (query.length > MAX_SERVER_QUERY_LENGTH)
    throw invalidInput(`A search is at most ${MAX_SERVER_QUERY_LENGTH} characters long.`);
  if ((query.match(/"/g) ?? []).length % 2) throw invalidInput('A quotation mark is not closed.');
  const terms: ServerSearchTerm[] = [];
  TOKEN.lastIndex = 0;
  for (let rest = query; rest; rest = rest.slice(TOKEN.lastIndex).trimStart(), TOKEN.lastIndex = 0) {
    const m = TOKEN.exec(rest);
    if (!m) throw invalidInput('This search could not be read.');
    const negated = m[1] === '-';
    const operator = m[2]?.toLowerCase();
    const value = m[3] ?? m[4] ?? '';
    if (operator === 'has') throw invalidInput('The mail server cannot search for attachments; leave out has:.');
    if (operator === 'is') terms.push(flagTerm(value, negated));
    else if (operator === 'after' || operator === 'before')
      terms.push({ field: operator === 'after' ? 'since' : 'before', value: isoDate(value, operator), negated });
    else if (operator && HEADER_FIELDS.has(operator)) {
      if (!value) throw invalidInput(`${operator}: needs something to look for.`);
      terms.push({ field: operator as ServerSearchTerm['field'], value, negated });
    }
    // Anything else with a colon (a time, a URL) is a word like the others.
    else if (value || operator) terms.push({ field: 'text', value: operator ? `${m[2]}:${value}` : value, negated });
  }
  if (!terms.length) throw invalidInput('Type what to search for.');
  if (terms.every((t) => t.negated)) throw invalidInput('Say what to find, not only what to leave out.');
  return terms;
}

function criterion(term: ServerSearchTerm): SearchObject {
  const one = { [term.field]: term.value } as SearchObject;
  return term.negated ? { not: one } : one;
}

/**
 * The terms as one imapflow search object. A search object holds each key once, so the terms nest through a
 * one-operand `or` (which imapflow writes as the operand itself, in parentheses): `TEXT a (TEXT b (FROM c))`.
 */
export function toImapSearch(terms: ServerSearchTerm[]): SearchObject {
  return terms.reduceRight<SearchObject | null>(
    (inner, term) => (inner ? { ...criterion(term), or: [inner] } : criterion(term)),
    null,
  )!;
}
