import { defineCollection } from '@nocobase/database';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, MESSAGES_COLLECTION } from '../store/collection-names';

/**
 * The local copy of a message: what the list and search need, plus the parsed body once it was opened. The IMAP
 * server stays the source of truth; a row is identified there by its folder's UIDVALIDITY and `uid`.
 */
export default defineCollection({
  name: MESSAGES_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: true,
  fields: [
    { name: 'account', type: 'belongsTo', target: ACCOUNTS_COLLECTION, foreignKey: 'accountId', onDelete: 'CASCADE' },
    { name: 'folder', type: 'belongsTo', target: FOLDERS_COLLECTION, foreignKey: 'folderId', onDelete: 'CASCADE' },
    // IMAP UIDs are 32-bit unsigned: above PostgreSQL's integer range.
    { name: 'uid', type: 'bigInt', allowNull: false },
    { name: 'messageId', type: 'string', length: 500 },
    /** Root Message-ID of the conversation, or `subject:<normalised subject>`; see messages/thread-key.ts. */
    { name: 'threadKey', type: 'string', length: 255 },
    /** Normalised subject, to link replies that lack References to their conversation. */
    { name: 'subjectKey', type: 'string', length: 255 },
    { name: 'inReplyTo', type: 'string', length: 500 },
    { name: 'references', type: 'text' },
    { name: 'subject', type: 'text' },
    // Structured addresses [{ name, address }] as sent; the *Text columns are their lower-case search forms.
    // No `defaultValue: []` on JSON columns: on SQLite NocoBase's sync then rebuilds the table on every start to
    // reconcile the default, and the rebuild drops every composite index (the unique folder/uid one included).
    // Readers treat null as an empty list.
    { name: 'from', type: 'json' },
    { name: 'to', type: 'json' },
    { name: 'cc', type: 'json' },
    { name: 'replyTo', type: 'json' },
    { name: 'fromText', type: 'text' },
    { name: 'addressText', type: 'text' },
    /** Received (INTERNALDATE): list order and the sync window. */
    { name: 'date', type: 'date' },
    /** The Date header. */
    { name: 'sentAt', type: 'date' },
    { name: 'read', type: 'boolean', defaultValue: false },
    { name: 'flagged', type: 'boolean', defaultValue: false },
    { name: 'answered', type: 'boolean', defaultValue: false },
    { name: 'draft', type: 'boolean', defaultValue: false },
    { name: 'snippet', type: 'text' },
    { name: 'size', type: 'integer', defaultValue: 0 },
    { name: 'hasAttachments', type: 'boolean', defaultValue: false },
    /** [{ part, filename, contentType, size, inline, contentId }] from BODYSTRUCTURE. */
    { name: 'attachments', type: 'json' },
    // Body cache, filled when the message is first opened; only `mailMessages:get` reads these columns.
    { name: 'bodyText', type: 'text' },
    { name: 'bodyHtml', type: 'text' },
    { name: 'bodyHasRemote', type: 'boolean' },
    { name: 'bodyError', type: 'text' },
    { name: 'bodyCachedAt', type: 'date' },
    // Plain text of the body for search, bounded in size; filled by the background text indexer or on first open.
    { name: 'indexedText', type: 'text' },
    { name: 'textIndexedAt', type: 'date' },
    // The sender marked it private (Outlook's `Sensitivity: Private` header): never shared, whatever the level.
    { name: 'sensitivityPrivate', type: 'boolean', defaultValue: false },
  ],
  indexes: [
    // One row per message and folder, even when two nodes store the same batch at once.
    { unique: true, fields: ['folderId', 'uid'] },
    { fields: ['accountId', 'folderId', 'date'] },
    { fields: ['accountId', 'date'] },
    { fields: ['accountId', 'threadKey'] },
    { fields: ['accountId', 'subjectKey'] },
    { fields: ['accountId', 'folderId', 'read'] },
    { fields: ['accountId', 'messageId'] },
  ],
});
