import { defineCollection } from '@nocobase/database';
import { ACCESS_LOG_COLLECTION, ACCOUNTS_COLLECTION } from '../store/collection-names';

/**
 * Who read whose mail outside their own mailbox, and when: one row per read through the admin's all-mail view.
 * The owner lists the rows of their mailboxes (`mailAccounts:accessLog`). No content is copied here.
 */
export default defineCollection({
  name: ACCESS_LOG_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: false,
  fields: [
    // The log outlives neither the mailbox (its owner is gone) nor is it rewritten when the reader's user is removed.
    { name: 'account', type: 'belongsTo', target: ACCOUNTS_COLLECTION, foreignKey: 'accountId', onDelete: 'CASCADE' },
    { name: 'ownerId', type: 'bigInt' },
    { name: 'viewerId', type: 'bigInt' },
    /** The reader's name when they read, kept if their user is deleted later. */
    { name: 'viewerName', type: 'string', length: 255 },
    /** list | get | attachment */
    { name: 'action', type: 'string', length: 16, allowNull: false },
    /** allMail | record */
    { name: 'via', type: 'string', length: 16, allowNull: false },
    { name: 'messageId', type: 'bigInt' },
    { name: 'messageRfcId', type: 'string', length: 500 },
    { name: 'part', type: 'string', length: 64 },
  ],
  indexes: [{ fields: ['accountId', 'createdAt'] }],
});
