import { defineCollection } from '@nocobase/database';
import { MailAccountStatus } from '../../shared/constants';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';

/** A connected mailbox. Owned by one user; other users never see it (the actions scope every query). */
export default defineCollection({
  name: ACCOUNTS_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: true,
  fields: [
    // Deleting the user deletes their mailboxes (NocoBase's referential integrity runs the account's hooks).
    { name: 'user', type: 'belongsTo', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
    { name: 'provider', type: 'string', allowNull: false },
    // Stored lower-case: mailbox addresses are case-insensitive in practice and reconnects must match.
    { name: 'address', type: 'string', allowNull: false },
    { name: 'displayName', type: 'string' },
    { name: 'status', type: 'string', allowNull: false, defaultValue: MailAccountStatus.connected },
    { name: 'statusReason', type: 'text' },
    // The provider library's serialised token cache (refresh token inside), aesEncryptor ciphertext.
    { name: 'tokenCache', type: 'text', hidden: true },
    { name: 'homeAccountId', type: 'string', hidden: true },
    // When the cached access token expires; decides whether a refresh is due without decrypting the cache.
    { name: 'accessTokenExpiresAt', type: 'date', hidden: true },
    { name: 'connectedAt', type: 'date' },
    { name: 'lastTokenRefreshAt', type: 'date' },
    // How much of this mailbox colleagues may see on records (shared/sharing.ts), set by the owner; the admin's
    // bounds clamp it (sharing/effective-level.ts). Nullable so an upgrade adds it; null reads as private.
    { name: 'sharingLevel', type: 'string', length: 16, defaultValue: 'private' },
  ],
  indexes: [{ unique: true, fields: ['userId', 'provider', 'address'] }],
});
