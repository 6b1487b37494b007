import type { MailMessageListItem } from '../../../shared/mail-reading-types';
import type { VisibleLevel } from '../../../shared/sharing';
import { recordMessageView } from '../record-message-view';
import { RECORD_ITEM_KEYS } from './helpers/record-item-keys';

const message: MailMessageListItem = {
  id: 7,
  accountId: 3,
  folderId: 11,
  uid: 42,
  messageId: '<m1@acme.test>',
  threadKey: 'subject:quarterly figures',
  subject: 'Quarterly figures',
  from: [{ name: 'Ann', address: 'ann@acme.test' }],
  to: [{ name: '', address: 'bob@ours.test' }],
  cc: [],
  replyTo: [],
  date: '2026-11-02T10:00:00.000Z',
  read: false,
  flagged: true,
  answered: false,
  draft: false,
  snippet: 'The numbers are in',
  size: 1234,
  hasAttachments: true,
  attachments: [
    {
      part: '2',
      filename: 'q3.xlsx',
      contentType: 'application/vnd.ms-excel',
      size: 900,
      inline: false,
      contentId: null,
    },
  ],
} as MailMessageListItem;

const locations = [
  { messageRowId: 7, accountId: 3, mailbox: 'bob@ours.test', folderId: 11, folderName: 'Inbox', folderRole: 'inbox' },
];

function view(level: VisibleLevel, own = false) {
  return recordMessageView({
    message,
    mailbox: { accountId: 3, ownerId: 5, own, level, address: 'bob@ours.test', ownerName: 'Bob' },
    matched: true,
    linked: false,
    locations,
  });
}

describe('recordMessageView: a record’s message cut to its mailbox’s level', () => {
  it('metadata: participants, date and whose mailbox; no subject, snippet, conversation key or attachments', () => {
    const item = view('metadata');
    expect(Object.keys(item).sort()).toEqual(RECORD_ITEM_KEYS.metadata);
    expect(item).toMatchObject({
      from: message.from,
      date: message.date,
      mailboxOwnerId: 5,
      mailboxOwnerName: 'Bob',
      mailbox: 'bob@ours.test',
    });
    expect(JSON.stringify(item)).not.toMatch(/quarterly|numbers|q3\.xlsx/i);
  });

  it('subject: plus subject, snippet and conversation key; no attachments', () => {
    const item = view('subject');
    expect(Object.keys(item).sort()).toEqual(RECORD_ITEM_KEYS.subject);
    expect(item).toMatchObject({ subject: 'Quarterly figures', snippet: 'The numbers are in' });
    expect(JSON.stringify(item)).not.toMatch(/q3\.xlsx/);
  });

  it('full: plus attachments', () => {
    const item = view('full', true);
    expect(Object.keys(item).sort()).toEqual(RECORD_ITEM_KEYS.full);
    expect(item).toMatchObject({ own: true, hasAttachments: true, attachments: message.attachments });
  });

  it('never the flags or size of the mailbox’s own list row', () => {
    expect(Object.keys(view('full'))).not.toEqual(expect.arrayContaining(['read']));
    for (const key of ['read', 'flagged', 'answered', 'draft', 'size', 'uid', 'folderId'])
      expect(view('full')).not.toHaveProperty(key);
  });
});
