import { MailError } from '../../errors/mail-error';
import { parseServerSearch, toImapSearch } from '../server-search-query';

describe('the query as IMAP SEARCH', () => {
  it.each([
    ['invoice', [{ field: 'text', value: 'invoice', negated: false }]],
    ['"annual report"', [{ field: 'text', value: 'annual report', negated: false }]],
    ['from:alice@example.test', [{ field: 'from', value: 'alice@example.test', negated: false }]],
    ['subject:"Q3 plan"', [{ field: 'subject', value: 'Q3 plan', negated: false }]],
    [
      'TO:bob CC:carol',
      [
        { field: 'to', value: 'bob', negated: false },
        { field: 'cc', value: 'carol', negated: false },
      ],
    ],
    [
      'after:2024-03-01 before:2024-04-01',
      [
        { field: 'since', value: new Date('2024-03-01T00:00:00Z'), negated: false },
        { field: 'before', value: new Date('2024-04-01T00:00:00Z'), negated: false },
      ],
    ],
    [
      'is:unread is:flagged',
      [
        { field: 'seen', value: false, negated: false },
        { field: 'flagged', value: true, negated: false },
      ],
    ],
    [
      'report -draft',
      [
        { field: 'text', value: 'report', negated: false },
        { field: 'text', value: 'draft', negated: true },
      ],
    ],
    [
      'meeting 10:30',
      [
        { field: 'text', value: 'meeting', negated: false },
        { field: 'text', value: '10:30', negated: false },
      ],
    ],
    ['přílohy', [{ field: 'text', value: 'přílohy', negated: false }]],
  ])('%s', (query, terms) => {
    expect(parseServerSearch(query)).toEqual(terms);
  });

  it.each([
    ['', /what to search/],
    ['   ', /what to search/],
    ['"unclosed', /quotation mark/],
    ['after:yesterday', /YYYY-MM-DD/],
    ['before:2024-02-30', /YYYY-MM-DD/],
    ['is:important', /is:unread/],
    ['has:attachment', /attachments/],
    ['-spam', /not only what to leave out/],
    ['from:', /needs something/],
    ['x'.repeat(501), /at most 500/],
  ])('%j is refused with a message', (query, message) => {
    let error: unknown;
    try {
      parseServerSearch(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).status).toBe(400);
    expect((error as MailError).message).toMatch(message);
  });

  it('nests the terms so each key stays once: TEXT a (NOT TEXT b (FROM c))', () => {
    expect(toImapSearch(parseServerSearch('a -b from:c'))).toEqual({
      text: 'a',
      or: [{ not: { text: 'b' }, or: [{ from: 'c' }] }],
    });
  });
});
