import { defineCollection } from '@nocobase/database';
import { SETTINGS_COLLECTION } from '../store/collection-names';

/**
 * The admin's mail configuration: one row. `provider` names the provider whose sign-in it configures; each
 * registered provider adds its own columns (`ProviderSettingsAdapter.columns`, see providers/register-provider.ts).
 */
export default defineCollection({
  name: SETTINGS_COLLECTION,
  dataCategory: 'system',
  createdAt: true,
  updatedAt: true,
  fields: [
    { name: 'provider', type: 'string' },
    { name: 'publicUrl', type: 'string' },
    { name: 'syncWindowDays', type: 'integer', defaultValue: 30 },
    { name: 'syncIntervalMinutes', type: 'integer', defaultValue: 5 },
    /** Total size of a message's attachments, in MB. */
    { name: 'maxAttachmentMb', type: 'integer', defaultValue: 20 },
    /** Bounds on every mailbox's sharing level (shared/sharing.ts); null leaves that side to the owners. */
    { name: 'sharingMinLevel', type: 'string', length: 16 },
    { name: 'sharingMaxLevel', type: 'string', length: 16 },
    /** Whether holders of the all-mail snippet may open any mailbox's mail (logged in mailAccessLog). */
    { name: 'allMailEnabled', type: 'boolean', defaultValue: false },
  ],
});
