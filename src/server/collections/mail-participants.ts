import { defineCollection } from '@nocobase/database';
import { PARTICIPANTS_COLLECTION } from '../store/collection-names';

/**
 * The participants index: one row per stored message (`mailMessages` row id), role and normalised address
 * (records/normalize-address.ts), written in the same transaction as the messages and removed with them. It lets a
 * business record find its mail by address or domain with an index lookup instead of a scan of the address text.
 * No association to mailMessages: a move re-homes a message row without touching these rows, and the store removes
 * them explicitly wherever it removes messages (cascades are off with hooks off, and SQLite ignores foreign keys).
 */
export default defineCollection({
  name: PARTICIPANTS_COLLECTION,
  dataCategory: 'business',
  createdAt: false,
  updatedAt: false,
  fields: [
    { name: 'messageRowId', type: 'bigInt', allowNull: false },
    { name: 'accountId', type: 'bigInt', allowNull: false },
    /** from, sender, replyTo, to, cc or bcc (see shared/mail-records.ts). */
    { name: 'role', type: 'string', length: 8, allowNull: false },
    { name: 'address', type: 'string', length: 320, allowNull: false },
    { name: 'domain', type: 'string', length: 255, allowNull: false },
  ],
  indexes: [
    // A record's mail: address (or domain) → the mailboxes in view → message rows, all read from the index.
    { fields: ['address', 'accountId', 'messageRowId'] },
    { fields: ['domain', 'accountId', 'messageRowId'] },
    // Removal with the message, and a message's own participants.
    { fields: ['messageRowId'] },
    { fields: ['accountId'] },
  ],
});
