import { MailError } from '../../errors/mail-error';
import { parseQuery } from '../../search/parse-query';
import { toImapSearch } from '../server-search-query';

const imap = (query: string) => toImapSearch(parseQuery(query));

describe('the mailbox search as IMAP SEARCH', () => {
  it.each([
    ['a word', 'invoice', { text: 'invoice' }],
    ['a word being typed (a substring on the server)', 'Prilo', { text: 'Prilo' }],
    ['a phrase, as typed', '"Annual  report"', { text: 'Annual  report' }],
    ['diacritics as typed (the server folds)', 'přílohy', { text: 'přílohy' }],
    ['an address whole', 'from:alice@example.test', { from: 'alice@example.test' }],
    ['a quoted subject', 'subject:"Q3 plan"', { subject: 'Q3 plan' }],
    ['to: and cc:', 'TO:bob CC:carol', { to: 'bob', or: [{ cc: 'carol' }] }],
    [
      'after: and before:',
      'after:2024-03-01 before:2024-04-01',
      { since: new Date('2024-03-01T00:00:00Z'), or: [{ before: new Date('2024-04-01T00:00:00Z') }] },
    ],
    ['is:unread is:flagged', 'is:unread is:flagged', { seen: false, or: [{ flagged: true }] }],
    ['is:read -is:flagged', 'is:read -is:flagged', { seen: true, or: [{ flagged: false }] }],
    ['an exclusion', 'report -draft', { text: 'report', or: [{ not: { text: 'draft' } }] }],
    ['an excluded sender with a flag', '-from:spam is:unread', { not: { from: 'spam' }, or: [{ seen: false }] }],
    ['a time is a word', 'meeting 10:30', { text: 'meeting', or: [{ text: '10:30' }] }],
    [
      'the terms nest so each key stays once',
      'a -b from:c',
      { text: 'a', or: [{ not: { text: 'b' }, or: [{ from: 'c' }] }] },
    ],
  ])('%s: %s', (_, query, criteria) => {
    expect(imap(query)).toEqual(criteria);
  });

  it.each([
    ['', /what to search/],
    ['   ', /what to search/],
    ['!!!', /what to search/],
    ['"unclosed', /quote is not closed/],
    ['after:yesterday', /not a date/],
    ['before:2024-02-30', /not a date/],
    ['is:important', /is:unread/],
    ['invoice has:attachment', /cannot search for attachments/],
    ['-has:attachment', /cannot search for attachments/],
    ['-spam', /not only what to leave out/],
    ['from:', /needs a value/],
  ])('%j is refused with a message', (query, message) => {
    let error: unknown;
    try {
      imap(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).status).toBe(400);
    expect((error as MailError).message).toMatch(message);
  });
});
