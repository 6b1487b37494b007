import { defineCollection } from '@nocobase/database';
import { MailSyncStage } from '../../shared/mail-reading';
import { ACCOUNTS_COLLECTION, SYNC_STATES_COLLECTION } from '../store/collection-names';

/**
 * How far an account's sync is, 1:1 with `mailAccounts`. Kept apart from the account row so the frequent progress
 * writes never race the token service's writes, and the UI can poll it cheaply (`mailAccounts:syncStatus`).
 */
export default defineCollection({
  name: SYNC_STATES_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: true,
  fields: [
    { name: 'account', type: 'belongsTo', target: ACCOUNTS_COLLECTION, foreignKey: 'accountId', onDelete: 'CASCADE' },
    { name: 'stage', type: 'string', length: 16, defaultValue: MailSyncStage.pending },
    { name: 'done', type: 'integer', defaultValue: 0 },
    { name: 'total', type: 'integer', defaultValue: 0 },
    /** Oldest date covered; moved back by "sync older mail", never forward. */
    { name: 'windowStart', type: 'date' },
    { name: 'lastSyncAt', type: 'date' },
    { name: 'lastError', type: 'text' },
    { name: 'lastErrorCode', type: 'string', length: 32 },
    { name: 'nextRetryAt', type: 'date' },
    /** Consecutive failed runs, for the backoff. */
    { name: 'failures', type: 'integer', defaultValue: 0 },
    { name: 'pushConnected', type: 'boolean', defaultValue: false },
    /** Instance that owns the account's connection, for diagnostics. */
    { name: 'ownerInstance', type: 'string', length: 100 },
    { name: 'changeSeq', type: 'bigInt', defaultValue: 0 },
    { name: 'lastChangeAt', type: 'date' },
    /** Messages of the window whose body text is indexed for search, of all in the window (sync/text-indexer.ts). */
    { name: 'textIndexDone', type: 'integer', defaultValue: 0 },
    { name: 'textIndexTotal', type: 'integer', defaultValue: 0 },
  ],
  indexes: [{ unique: true, fields: ['accountId'] }],
});
