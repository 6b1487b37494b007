import type { MessageRecord } from '../../../messages/message-record';

/** A new message as the sync hands it to the store: from sender<uid>@acme.test to me@example.test. */
export function messageRecord(accountId: number, folderId: number, uid: number): MessageRecord {
  return {
    accountId,
    folderId,
    uid,
    messageId: `<m${uid}@acme.test>`,
    threadKey: `<m${uid}@acme.test>`,
    subjectKey: '',
    inReplyTo: null,
    references: null,
    subject: `Message ${uid}`,
    from: [{ name: '', address: `sender${uid}@acme.test` }],
    to: [{ name: '', address: 'me@example.test' }],
    cc: [],
    replyTo: [],
    sender: [],
    bcc: [],
    fromText: '',
    addressText: '',
    date: new Date(),
    sentAt: null,
    read: false,
    flagged: false,
    answered: false,
    draft: false,
    snippet: '',
    size: 1,
    hasAttachments: false,
    attachments: [],
    sensitivityPrivate: false,
  };
}
