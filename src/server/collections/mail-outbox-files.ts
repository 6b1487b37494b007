import { defineCollection } from '@nocobase/database';
import { OUTBOX_COLLECTION, OUTBOX_FILES_COLLECTION } from '../store/collection-names';

/**
 * Attachment bytes of outbox messages, kept in the database until the message is deleted: a retry after a failed
 * send, a draft reopened on another node, or a restart all find them, with no shared file storage needed. Sizes
 * are bounded by the attachment limit in the settings. Apart from `mailOutbox` so listing never loads content.
 */
export default defineCollection({
  name: OUTBOX_FILES_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: false,
  fields: [
    { name: 'outbox', type: 'belongsTo', target: OUTBOX_COLLECTION, foreignKey: 'outboxId', onDelete: 'CASCADE' },
    { name: 'position', type: 'integer', defaultValue: 0 },
    { name: 'filename', type: 'string', length: 255 },
    { name: 'contentType', type: 'string', length: 255 },
    { name: 'size', type: 'integer', defaultValue: 0 },
    /** Set for images the quoted HTML shows through `cid:`. */
    { name: 'contentId', type: 'string', length: 255 },
    { name: 'inline', type: 'boolean', defaultValue: false },
    // LONGBLOB on MySQL; bytea on PostgreSQL; BLOB on SQLite.
    { name: 'content', type: 'blob', length: 'long', hidden: true },
  ],
  indexes: [{ fields: ['outboxId', 'position'] }],
});
