/** The keys of a record's message in `mailRecords:list` at each visible level, sorted: all a level shows. */
const METADATA = [
  'accountId',
  'cc',
  'date',
  'from',
  'id',
  'level',
  'linked',
  'locations',
  'mailbox',
  'mailboxOwnerId',
  'mailboxOwnerName',
  'matched',
  'messageId',
  'own',
  'replyTo',
  'to',
];

export const RECORD_ITEM_KEYS: Record<string, string[]> = {
  metadata: METADATA,
  subject: [...METADATA, 'snippet', 'subject', 'threadKey'].sort(),
  full: [...METADATA, 'attachments', 'hasAttachments', 'snippet', 'subject', 'threadKey'].sort(),
};
