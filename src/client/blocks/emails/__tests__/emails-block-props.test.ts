import type { RecordMessageItem } from '../../../../shared/mail-records';
import {
  addressFieldCandidates,
  associationPathCandidates,
  columnsOf,
  onlyOf,
  rowFromRecordItem,
  sourceOf,
} from '../emails-block-props';
import { withheldReason } from '../shared-level-text';

const item = (over: Partial<RecordMessageItem>): RecordMessageItem => ({
  id: 7,
  accountId: 2,
  level: 'full',
  own: true,
  mailboxOwnerId: 1,
  mailboxOwnerName: 'Alice',
  mailbox: 'alice@example.test',
  messageId: '<m@x>',
  date: '2026-12-01T10:00:00.000Z',
  from: [{ name: 'Acme', address: 'info@acme.example' }],
  to: [],
  cc: [],
  replyTo: [],
  matched: true,
  linked: false,
  locations: [],
  ...over,
});

describe('the Emails block: its settings and rows', () => {
  it('offers text-like fields for addresses and domains, not numbers, dates or associations', () => {
    const names = addressFieldCandidates([
      { name: 'email', interface: 'email' },
      { name: 'name', interface: 'input' },
      { name: 'notes', interface: 'textarea' },
      { name: 'size', interface: 'integer' },
      { name: 'createdAt', interface: 'createdAt' },
      { name: 'contacts', interface: 'o2m' },
      { name: 'legacy', type: 'string' },
    ]).map((f) => f.name);
    expect(names).toEqual(['email', 'name', 'notes', 'legacy']);
  });

  it("offers one association deep: the target's text fields as paths, titled by both", () => {
    const contacts = [
      { name: 'email', interface: 'email', uiSchema: { title: 'Email' } },
      { name: 'age', interface: 'integer' },
    ];
    const paths = associationPathCandidates(
      [
        { name: 'contact', interface: 'm2o', target: 'contacts', uiSchema: { title: 'Contact' } },
        { name: 'email', interface: 'email' },
        { name: 'gone', interface: 'm2o', target: 'missing' },
      ],
      (name) => (name === 'contacts' ? contacts : undefined),
    );
    expect(paths).toEqual([{ name: 'contact.email', uiSchema: { title: 'Contact → Email' } }]);
  });

  it("lists the record's mail by default inside a record, and the user's own mail outside any", () => {
    expect(sourceOf({}, true)).toBe('record');
    expect(sourceOf({ source: 'mine' }, true)).toBe('mine');
    expect(sourceOf({ source: 'record' }, false)).toBe('mine');
  });

  it("names the mailbox only on a colleague's message", () => {
    expect(rowFromRecordItem(item({})).mailbox).toBeUndefined();
    const shared = rowFromRecordItem(
      item({ own: false, level: 'subject', subject: 'Offer', mailbox: 'bob@example.test' }),
    );
    expect(shared).toMatchObject({ own: false, level: 'subject', subject: 'Offer', mailbox: 'bob@example.test' });
  });

  it("names a colleague's mailbox by its owner, and never the viewer's own", () => {
    expect(rowFromRecordItem(item({})).mailboxOwnerName).toBeUndefined();
    const shared = rowFromRecordItem(item({ own: false, mailbox: 'bob@example.test', mailboxOwnerName: 'Bob Smith' }));
    expect(shared).toMatchObject({ mailbox: 'bob@example.test', mailboxOwnerName: 'Bob Smith' });
    expect(rowFromRecordItem(item({ own: false, mailboxOwnerName: '' })).mailboxOwnerName).toBeUndefined();
  });

  it('shows the default columns until some are chosen, and only known ones', () => {
    expect([...columnsOf({})]).toEqual(['from', 'snippet', 'date', 'attachments', 'mailbox']);
    expect([...columnsOf({ columns: ['to', 'date', 'bogus'] })]).toEqual(['to', 'date']);
    expect([...columnsOf({ columns: [] })]).toEqual([]);
  });

  it('asks the record for one way only when the block is set to it', () => {
    expect(onlyOf(undefined)).toBeUndefined();
    expect(onlyOf('both')).toBeUndefined();
    expect(onlyOf('matched')).toBe('matched');
    expect(onlyOf('linked')).toBe('linked');
  });

  it('says why the body is missing below the full level, and nothing at full', () => {
    expect(withheldReason('metadata')).toMatch(/participants and date.*subject, text and attachments/);
    expect(withheldReason('subject')).toMatch(/"subject" level: the text and attachments/);
    expect(withheldReason('full')).toBeNull();
  });
});
