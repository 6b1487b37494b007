import type { MailMessageView } from '../../../shared/mail-reading-types';
import type { VisibleLevel } from '../../../shared/sharing';
import { toSharedMessageView } from '../shared-message-view';

const mailbox = { accountId: 7, address: 'alice@example.test', ownerId: 3, ownerName: 'Alice' };
const person = (address: string) => [{ name: '', address }];

const message: MailMessageView = {
  id: 11,
  accountId: 7,
  folderId: 2,
  uid: 5,
  messageId: '<m@x>',
  threadKey: '<m@x>',
  subject: 'Quote',
  from: person('c@acme.test'),
  to: person('alice@example.test'),
  cc: [],
  replyTo: [],
  date: '2026-12-01T10:00:00.000Z',
  read: false,
  flagged: true,
  answered: false,
  draft: false,
  snippet: 'The price',
  size: 900,
  hasAttachments: true,
  attachments: [
    { part: '2', filename: 'q.pdf', contentType: 'application/pdf', size: 10, inline: false, contentId: null },
  ],
  inReplyTo: null,
  references: [],
  text: 'The price is 42.',
  html: '<p>The price is 42.</p>',
  hasRemoteContent: false,
  bodyError: null,
  toTotal: 1,
  ccTotal: 0,
};

describe('toSharedMessageView: exactly the fields a level allows', () => {
  const base = ['cc', 'date', 'from', 'id', 'level', 'mailbox', 'to'];
  it.each<[VisibleLevel, string[]]>([
    ['metadata', base],
    ['subject', [...base, 'snippet', 'subject']],
    [
      'full',
      [...base, 'attachments', 'bodyError', 'hasAttachments', 'hasRemoteContent', 'html', 'snippet', 'subject', 'text'],
    ],
  ])('%s', (level, keys) => {
    const view = toSharedMessageView(message, level, mailbox);
    expect(Object.keys(view).sort()).toEqual(keys.sort());
    expect(view).toMatchObject({ id: 11, level, mailbox, from: message.from });
  });

  it('a list item (no body) at full carries no body fields', () => {
    const { text, html, hasRemoteContent, bodyError, inReplyTo, references, toTotal, ccTotal, ...item } = message;
    void [text, html, hasRemoteContent, bodyError, inReplyTo, references, toTotal, ccTotal];
    expect(toSharedMessageView(item, 'full', mailbox)).not.toHaveProperty('text');
  });
});
