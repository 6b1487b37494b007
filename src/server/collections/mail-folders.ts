import { defineCollection } from '@nocobase/database';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION } from '../store/collection-names';

/**
 * One IMAP folder of a connected mailbox, with the sync cursor of its local copy. Rows are written by the sync
 * only; users read them through `mailFolders:list`, scoped to their own accounts.
 */
export default defineCollection({
  name: FOLDERS_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: true,
  fields: [
    // Disconnecting the account removes its folders (the account service also deletes them in bulk first).
    { name: 'account', type: 'belongsTo', target: ACCOUNTS_COLLECTION, foreignKey: 'accountId', onDelete: 'CASCADE' },
    // Full path as the server lists it (decoded from modified UTF-7), e.g. "Inbox/Projects".
    { name: 'path', type: 'string', length: 500, allowNull: false },
    { name: 'name', type: 'string', length: 500, allowNull: false },
    { name: 'delimiter', type: 'string', length: 8 },
    /** inbox | sent | drafts | trash | junk | archive, or null. */
    { name: 'role', type: 'string', length: 16 },
    { name: 'totalCount', type: 'integer', defaultValue: 0 },
    { name: 'unreadCount', type: 'integer', defaultValue: 0 },
    // Sync cursor (RFC 3501 §2.3.1.1, RFC 7162). UIDVALIDITY and HIGHESTMODSEQ are kept as decimal strings:
    // HIGHESTMODSEQ is 63-bit.
    { name: 'uidValidity', type: 'string', length: 20 },
    { name: 'uidNext', type: 'bigInt' },
    { name: 'highestModseq', type: 'string', length: 24 },
    /** The server's message count when the cursor was saved. */
    { name: 'serverMessages', type: 'integer' },
    /** Oldest date the local copy of this folder covers. */
    { name: 'windowStart', type: 'date' },
    { name: 'lastSyncedAt', type: 'date' },
    // Why the server refused this one folder at the last sync (RFC 5530 NOPERM), shown to the owner; cleared when
    // the folder syncs again. Null when it synced. Nullable, so NocoBase's upgrade adds them to existing tables.
    { name: 'syncError', type: 'text' },
    { name: 'syncErrorAt', type: 'date' },
    // Set by the owner: this folder's mail is never shared, whatever the mailbox's sharing level.
    { name: 'private', type: 'boolean', defaultValue: false },
  ],
  indexes: [{ unique: true, fields: ['accountId', 'path'] }],
});
