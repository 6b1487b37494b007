import { defineCollection } from '@nocobase/database';
import { OutboxState } from '../../shared/mail-sending';
import { ACCOUNTS_COLLECTION, OUTBOX_COLLECTION } from '../store/collection-names';

/**
 * Outgoing messages: every send is stored here first, so a failed send is never lost and a retry sends the same
 * message (same Message-ID) at most once; drafts live here too. Owned by one user through their account; only
 * the plugin's owner-scoped actions read or change rows.
 */
export default defineCollection({
  name: OUTBOX_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: true,
  fields: [
    { name: 'account', type: 'belongsTo', target: ACCOUNTS_COLLECTION, foreignKey: 'accountId', onDelete: 'CASCADE' },
    { name: 'user', type: 'belongsTo', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
    /** draft | queued | sending | sent | failed */
    { name: 'state', type: 'string', length: 16, allowNull: false, defaultValue: OutboxState.queued },
    /** new | reply | replyAll | forward */
    { name: 'mode', type: 'string', length: 16, allowNull: false, defaultValue: 'new' },
    // The mailMessages row answered or forwarded; a plain column, as the sync may delete that row meanwhile.
    { name: 'sourceMessageId', type: 'bigInt' },
    /** `<uuid@domain>`, generated once when the row is created: every attempt sends this same id. */
    // Unique on the field, not in `indexes`: NocoBase's sync drops a single-column unique index it does not see on
    // a field, and on SQLite that means a table rebuild that loses the other indexes too.
    { name: 'messageId', type: 'string', length: 255, allowNull: false, unique: true },
    { name: 'inReplyTo', type: 'string', length: 500 },
    // No `defaultValue: []` on JSON columns: see mail-messages.ts (on SQLite it cost this table its indexes).
    { name: 'references', type: 'json' },
    { name: 'from', type: 'json' },
    { name: 'to', type: 'json' },
    { name: 'cc', type: 'json' },
    { name: 'bcc', type: 'json' },
    { name: 'subject', type: 'text' },
    /** The user's part of the body, sanitised. */
    { name: 'html', type: 'text' },
    /** The quoted original (reply) or forwarded message, as the reading side displays it; appended when sent. */
    { name: 'quoteHtml', type: 'text' },
    { name: 'attempts', type: 'integer', defaultValue: 0 },
    { name: 'lastAttemptAt', type: 'date' },
    { name: 'sentAt', type: 'date' },
    { name: 'failureReason', type: 'text' },
    { name: 'failureCode', type: 'string', length: 32 },
    { name: 'rejectedRecipients', type: 'json' },
    // Why the copy in Sent (after sending) or Drafts (after saving) could not be stored; the message itself is fine.
    { name: 'copyError', type: 'text' },
    /** Where the draft's copy sits on the IMAP server (RFC 3501 UID within that UIDVALIDITY), to replace it. */
    { name: 'draftFolderPath', type: 'string', length: 500 },
    { name: 'draftUidValidity', type: 'string', length: 20 },
    { name: 'draftUid', type: 'bigInt' },
    /** One bulk send (`mailMessages:sendBulk`): its messages are sent in the background, at the mailbox's rate. */
    { name: 'batchId', type: 'string', length: 64 },
  ],
  indexes: [{ fields: ['userId', 'state'] }, { fields: ['accountId', 'state'] }, { fields: ['batchId'] }],
});
