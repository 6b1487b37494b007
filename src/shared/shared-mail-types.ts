/** Shapes of mail a viewer reads from someone else's mailbox (on a record, or through the admin's all-mail view). */
import type { MailAddress, MailAttachmentMeta } from './mail-reading-types';
import type { VisibleLevel } from './sharing';

/** Whose mailbox a shared message comes from. */
export interface SharedMailboxInfo {
  accountId: number;
  address: string;
  ownerId: number;
  /** The owner's NocoBase nickname (or email when they have none). */
  ownerName: string;
}

/**
 * A message as the level allows, and nothing more: `metadata` participants and dates; `subject` adds subject and
 * snippet; `full` adds the body and the attachments.
 */
export interface SharedMessageView {
  id: number;
  level: VisibleLevel;
  mailbox: SharedMailboxInfo;
  date: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject?: string;
  snippet?: string;
  hasAttachments?: boolean;
  attachments?: MailAttachmentMeta[];
  text?: string | null;
  html?: string | null;
  hasRemoteContent?: boolean;
  bodyError?: string | null;
}

/** What an access log entry says to the mailbox owner. */
export type MailAccessAction = 'list' | 'get' | 'attachment';
export type MailAccessVia = 'allMail' | 'record';

export interface MailAccessLogEntry {
  id: number;
  at: string;
  accountId: number;
  viewer: { id: number | null; name: string };
  action: MailAccessAction;
  via: MailAccessVia;
  /** The message's row id and RFC Message-ID (null for a list of the mailbox). */
  messageId: number | null;
  messageRfcId: string | null;
  /** The attachment's MIME part, for an attachment download. */
  part: string | null;
}
