import { invalidInput } from '../errors/mail-error';
import { fold, tokens } from './fold';

/** Where a term must be found: anywhere, or in one field of the message. */
export type SearchField = 'any' | 'from' | 'to' | 'cc' | 'subject';

/** Words that must (or, negated, must not) appear in order, in one field; `prefix`: the last word may go on. */
export interface SearchTerm {
  field: SearchField;
  /** Folded words (see fold.ts); more than one is a phrase. */
  words: string[];
  /** The value as typed (without quotes or operator): what a mail server, which folds on its own, is asked for. */
  text: string;
  prefix: boolean;
  negated: boolean;
}

/** A parsed search: text terms (all must hold) and the column conditions the operators name. */
export interface SearchQuery {
  terms: SearchTerm[];
  unread?: boolean;
  flagged?: boolean;
  hasAttachment?: boolean;
  /** Received before this instant (the start of the `before:` day, UTC). */
  before?: Date;
  /** Received at or after this instant (the start of the `after:` day, UTC). */
  after?: Date;
}

/** Most text terms a query may have: each is one more condition on the index. */
export const MAX_TERMS = 16;

const FIELDS: Record<string, SearchField> = { from: 'from', to: 'to', cc: 'cc', subject: 'subject' };
const IS: Record<string, Pick<SearchQuery, 'unread' | 'flagged'>> = {
  unread: { unread: true },
  read: { unread: false },
  flagged: { flagged: true },
  unflagged: { flagged: false },
};

interface Piece {
  negated: boolean;
  operator: string | null;
  value: string;
  quoted: boolean;
}

/** Splits the query into pieces: `-`? `operator:`? then a bare word or a "quoted value". */
function pieces(query: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i])) {
      i++;
      continue;
    }
    let negated = false;
    if (query[i] === '-' && i + 1 < query.length && !/\s/.test(query[i + 1])) {
      negated = true;
      i++;
    }
    let operator: string | null = null;
    const op = /^([A-Za-z]+):/.exec(query.slice(i));
    if (op && op[1].toLowerCase() in { ...FIELDS, is: 1, has: 1, before: 1, after: 1 }) {
      operator = op[1].toLowerCase();
      i += op[0].length;
      if (i >= query.length || /\s/.test(query[i]))
        throw invalidInput(`"${op[0]}" needs a value right after the colon, e.g. ${example(operator)}.`);
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0)
        throw invalidInput(`A quote is not closed: add the closing " after ${query.slice(i, i + 30).trim()}.`);
      out.push({ negated, operator, value: query.slice(i + 1, close), quoted: true });
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/.test(query[end])) end++;
    const value = query.slice(i, end);
    if (value.includes('"'))
      throw invalidInput(`A quote is not closed: add the closing " in ${value}, or put the phrase in quotes.`);
    out.push({ negated, operator, value, quoted: false });
    i = end;
  }
  return out;
}

function example(operator: string): string {
  if (operator === 'is') return 'is:unread';
  if (operator === 'has') return 'has:attachment';
  if (operator === 'before' || operator === 'after') return `${operator}:2024-05-01`;
  return `${operator}:jan or ${operator}:"Jan Novák"`;
}

/** A calendar day (YYYY-MM-DD) as its first instant, UTC. */
function day(operator: string, value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.getUTCMonth() !== Number(m![2]) - 1 || d.getUTCDate() !== Number(m![3]))
    throw invalidInput(`"${operator}:${value}" is not a date: write it as ${operator}:2024-05-01 (year-month-day).`);
  return d;
}

/**
 * Parses what a person typed into the search box. Bare words must all match, in any order; the last bare word
 * matches as a prefix (the person may still be typing), as do unquoted `from:`/`to:`/`cc:` values (a name or the
 * start of an address). Bad syntax is a MailError INVALID_INPUT saying what to fix.
 */
export function parseQuery(query: string): SearchQuery {
  const out: SearchQuery = { terms: [] };
  let lastBare: SearchTerm | null = null;
  for (const piece of pieces(query)) {
    const { operator, value, negated } = piece;
    if (operator === 'is' || operator === 'has') {
      const key = value.toLowerCase();
      if (operator === 'has' && key !== 'attachment' && key !== 'attachments')
        throw invalidInput(`"has:${value}" is not known: use has:attachment.`);
      if (operator === 'is' && !IS[key])
        throw invalidInput(`"is:${value}" is not known: use is:unread, is:read, is:flagged or is:unflagged.`);
      const set: Partial<SearchQuery> = operator === 'has' ? { hasAttachment: true } : { ...IS[key] };
      for (const [k, v] of Object.entries(set)) (out as unknown as Record<string, unknown>)[k] = negated ? !v : v;
      continue;
    }
    if (operator === 'before' || operator === 'after') {
      if (negated)
        throw invalidInput(
          `"-${operator}:" is not supported: use ${operator === 'before' ? 'after' : 'before'}: instead.`,
        );
      out[operator] = day(operator, value);
      continue;
    }
    const words = tokens(fold(value));
    if (!words.length) continue;
    const field = operator ? FIELDS[operator] : 'any';
    const prefix = !piece.quoted && !negated && field !== 'any' && field !== 'subject';
    const term: SearchTerm = { field, words, text: value, prefix, negated };
    out.terms.push(term);
    if (field === 'any' && !piece.quoted && !negated) lastBare = term;
  }
  if (out.terms.length > MAX_TERMS)
    throw invalidInput(`The search has ${out.terms.length} words or phrases: use at most ${MAX_TERMS}.`);
  if (lastBare && lastBare === out.terms[out.terms.length - 1]) lastBare.prefix = true;
  if (out.before && out.after && out.after >= out.before)
    throw invalidInput('"after:" must be an earlier day than "before:", or nothing can match.');
  return out;
}
