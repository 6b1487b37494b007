import { MailError } from '../../errors/mail-error';
import { fold } from '../fold';
import { highlightRanges } from '../highlight';
import { parseQuery } from '../parse-query';

describe('fold', () => {
  it.each([
    ['Přílohy', 'prilohy'],
    ['Żółw', 'zolw'],
    ['Straße', 'strasse'],
    ['ĐURO Øre Æble', 'duro ore aeble'],
    ['ﬁle', 'file'],
    ['Łódź', 'lodz'],
  ])('%s → %s', (text, folded) => expect(fold(text)).toBe(folded));
});

describe('parseQuery', () => {
  const term = (text: string, words: string[], extra: object = {}) => ({
    field: 'any',
    words,
    text,
    prefix: false,
    negated: false,
    ...extra,
  });

  it.each([
    [
      'two words, the last a prefix',
      'invoice Prilo',
      [term('invoice', ['invoice']), term('Prilo', ['prilo'], { prefix: true })],
    ],
    ['a phrase is exact', '"Quarterly  numbers"', [term('Quarterly  numbers', ['quarterly', 'numbers'])]],
    ['an exclusion', 'report -draft', [term('report', ['report']), term('draft', ['draft'], { negated: true })]],
    ['from: a name start', 'from:jan', [term('jan', ['jan'], { field: 'from', prefix: true })]],
    ['from: quoted', 'from:"Jan Novák"', [term('Jan Novák', ['jan', 'novak'], { field: 'from' })]],
    [
      'to: an address',
      'to:bob@example.test',
      [term('bob@example.test', ['bob', 'example', 'test'], { field: 'to', prefix: true })],
    ],
    ['cc:', 'cc:carol', [term('carol', ['carol'], { field: 'cc', prefix: true })]],
    ['subject:', 'subject:Żółw', [term('Żółw', ['zolw'], { field: 'subject' })]],
    ['an unknown operator is text', 're:meeting', [term('re:meeting', ['re', 'meeting'], { prefix: true })]],
    ['punctuation alone is nothing', '!!! ?', []],
  ])('%s', (_, query, terms) => expect(parseQuery(query).terms).toEqual(terms));

  it('reads the column operators', () => {
    expect(parseQuery('is:unread is:flagged has:attachment after:2024-05-01 before:2024-06-01')).toEqual({
      terms: [],
      unread: true,
      flagged: true,
      hasAttachment: true,
      after: new Date('2024-05-01T00:00:00Z'),
      before: new Date('2024-06-01T00:00:00Z'),
    });
    expect(parseQuery('is:read -is:flagged')).toMatchObject({ unread: false, flagged: false });
  });

  it.each([
    ['an unclosed quote', '"annual report', /quote is not closed/],
    ['a quote inside a word', 'ab"c', /quote is not closed/],
    ['an empty operator', 'from: jan', /"from:" needs a value/],
    ['an operator at the end', 'subject:', /"subject:" needs a value/],
    ['a bad date', 'before:2024-13-01', /before:2024-05-01/],
    ['a date in words', 'after:yesterday', /not a date/],
    ['an unknown is:', 'is:urgent', /is:unread/],
    ['an unknown has:', 'has:pictures', /has:attachment/],
    ['dates that exclude everything', 'after:2024-06-01 before:2024-05-01', /earlier day/],
    ['too many terms', Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), /at most 16/],
  ])('refuses %s with what to fix', (_, query, message) => {
    let error: unknown;
    try {
      parseQuery(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('INVALID_INPUT');
    expect((error as MailError).message).toMatch(message);
  });
});

describe('highlightRanges', () => {
  it('marks whole words of the original text, diacritics and case ignored', () => {
    const text = 'Přílohy k žádosti: PŘÍLOHA 2';
    const ranges = highlightRanges(text, [{ word: 'priloh', prefix: true }]);
    expect(ranges.map(([a, b]) => text.slice(a, b))).toEqual(['Přílohy', 'PŘÍLOHA']);
  });

  it('marks a word that folds to more letters (ß → ss) as the original word', () => {
    const text = 'Die Straße ist lang';
    expect(highlightRanges(text, [{ word: 'strasse', prefix: false }])).toEqual([[4, 10]]);
  });

  it('marks nothing that is only part of a word, unless a prefix', () => {
    expect(highlightRanges('reports', [{ word: 'report', prefix: false }])).toEqual([]);
    expect(highlightRanges('reports', [{ word: 'report', prefix: true }])).toEqual([[0, 7]]);
  });
});
