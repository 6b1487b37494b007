import type { SearchObject } from 'imapflow';
import { invalidInput } from '../errors/mail-error';
import type { SearchQuery, SearchTerm } from '../search/parse-query';

/**
 * The mailbox search (search/parse-query.ts, one syntax for both) as IMAP SEARCH criteria (RFC 3501 §6.4.4). Words
 * and "phrases" → TEXT, `from:` / `to:` / `cc:` / `subject:` → their header, `after:` / `before:` → SINCE / BEFORE,
 * `is:unread|read|flagged|unflagged` → UNSEEN / SEEN / FLAGGED / UNFLAGGED, `-term` → NOT; all must hold. Each term
 * is sent as typed: the server compares in its own way (a substring, so a word being typed matches as a prefix
 * would, and more). `has:attachment` has no IMAP criterion and is refused.
 */

function criterion(term: SearchTerm): SearchObject {
  const one = { [term.field === 'any' ? 'text' : term.field]: term.text } as SearchObject;
  return term.negated ? { not: one } : one;
}

function conditions(query: SearchQuery): SearchObject[] {
  if (query.hasAttachment !== undefined)
    throw invalidInput('The mail server cannot search for attachments: leave out has:attachment.');
  const out: SearchObject[] = query.terms.map(criterion);
  if (query.unread !== undefined) out.push({ seen: !query.unread });
  if (query.flagged !== undefined) out.push({ flagged: query.flagged });
  if (query.after) out.push({ since: query.after });
  if (query.before) out.push({ before: query.before });
  return out;
}

/**
 * One imapflow search object for the query. A search object holds each key once, so the criteria nest through a
 * one-operand `or` (which imapflow writes as the operand itself, in parentheses): `TEXT a (TEXT b (FROM c))`.
 * A query with nothing to find (empty, or only exclusions: every message of every folder but a few) is refused.
 */
export function toImapSearch(query: SearchQuery): SearchObject {
  const all = conditions(query);
  if (!all.length) throw invalidInput('Type what to search for.');
  if (all.every((c) => 'not' in c)) throw invalidInput('Say what to find, not only what to leave out.');
  return all.reduceRight<SearchObject | null>((inner, c) => (inner ? { ...c, or: [inner] } : c), null)!;
}
