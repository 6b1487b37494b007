import { defineCollection } from '@nocobase/database';
import { WORKFLOW_DELIVERIES_COLLECTION } from '../store/collection-names';

/**
 * Which message each mail workflow has already been started for. A row is inserted before the workflow is
 * triggered and only the insert that got in triggers it, so a resync, a move and back, a UIDVALIDITY rebuild, a
 * reconnect, a restart or a second node never start it twice for the same message.
 */
export default defineCollection({
  name: WORKFLOW_DELIVERIES_COLLECTION,
  dataCategory: 'business',
  createdAt: true,
  updatedAt: false,
  fields: [
    /** `workflows.key`: shared by all versions of a workflow, so a new version does not run again for old mail. */
    { name: 'workflowKey', type: 'string', length: 64, allowNull: false },
    /** The mailbox's address in lower case, not its account id: a mailbox disconnected and connected again is the same. */
    { name: 'mailbox', type: 'string', length: 320, allowNull: false },
    /** The Message-ID, or a hash of sender, date, subject and size when it has none (workflow/delivery-key.ts). */
    { name: 'messageKey', type: 'string', length: 500, allowNull: false },
  ],
  indexes: [{ unique: true, fields: ['workflowKey', 'mailbox', 'messageKey'] }],
});
