import { defineCollection } from '@nocobase/database';
import { MicrosoftCloud } from '../../shared/constants';
import { SETTINGS_COLLECTION } from '../store/collection-names';

/**
 * The admin's mail configuration: one row. Host and port columns left null follow the selected cloud's defaults,
 * so switching cloud does not leave stale hosts behind.
 */
export default defineCollection({
  name: SETTINGS_COLLECTION,
  dataCategory: 'system',
  createdAt: true,
  updatedAt: true,
  fields: [
    { name: 'clientId', type: 'string' },
    // aesEncryptor ciphertext. Hidden keeps it out of any serialised record, even in generic admin views.
    { name: 'clientSecret', type: 'text', hidden: true },
    { name: 'tenant', type: 'string', defaultValue: 'common' },
    { name: 'cloud', type: 'string', defaultValue: MicrosoftCloud.global },
    { name: 'authorityHost', type: 'string' },
    { name: 'imapHost', type: 'string' },
    { name: 'imapPort', type: 'integer' },
    { name: 'smtpHost', type: 'string' },
    { name: 'smtpPort', type: 'integer' },
    { name: 'publicUrl', type: 'string' },
    { name: 'syncWindowDays', type: 'integer', defaultValue: 30 },
    { name: 'syncIntervalMinutes', type: 'integer', defaultValue: 5 },
    // Outlook files its own copy of SMTP-submitted mail in Sent Items; other servers need the plugin to append one.
    { name: 'appendSentCopy', type: 'boolean', defaultValue: false },
    /** Total size of a message's attachments, in MB. */
    { name: 'maxAttachmentMb', type: 'integer', defaultValue: 20 },
  ],
});
