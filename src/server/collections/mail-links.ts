import { defineCollection } from '@nocobase/database';
import { LINKS_COLLECTION } from '../store/collection-names';

/**
 * A message, or a whole conversation, linked by hand to a record of any collection of the main data source. It
 * holds the RFC Message-ID or the thread key, never a row id, so it outlives resyncs, moves between folders,
 * UIDVALIDITY rebuilds and a disconnect, and later messages of a linked conversation match it too. The account id
 * and mailbox address say where it was made from (for "forget this mailbox's links"); no foreign key to the account,
 * since the link stays when the account goes.
 */
export default defineCollection({
  name: LINKS_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: false,
  fields: [
    /** The record's collection (main data source). */
    { name: 'collectionName', type: 'string', length: 255, allowNull: false },
    /** The record's key (its filterTargetKey value), as a string. */
    { name: 'recordKey', type: 'string', length: 255, allowNull: false },
    /** `message` or `thread` (MailLinkKind). */
    { name: 'kind', type: 'string', length: 16, allowNull: false },
    /** The Message-ID for a message link, the thread key (messages/thread-key.ts) for a conversation link. */
    { name: 'mailKey', type: 'string', length: 500, allowNull: false },
    { name: 'accountId', type: 'bigInt', allowNull: false },
    /** The mailbox address the link was made from, lower case: the same mailbox after a reconnect. */
    { name: 'mailbox', type: 'string', length: 320 },
    /** The user who made the link. */
    { name: 'userId', type: 'bigInt', allowNull: false },
  ],
  indexes: [
    { unique: true, fields: ['collectionName', 'recordKey', 'kind', 'mailKey', 'accountId'] },
    // A message's links: by its Message-ID and its thread key.
    { fields: ['mailKey', 'kind'] },
    { fields: ['userId', 'mailbox'] },
  ],
});
