import type { VisibleLevel } from './sharing';
import type { MailAddress, MailAttachmentMeta } from './mail-reading-types';

/** Mail on business records: the API names and the facts the client and server share. */
export const MAIL_RECORDS_RESOURCE = 'mailRecords';

export const MailRecordsAction = {
  /** The messages of one record: matched by its addresses/domains, or linked to it. */
  list: 'list',
  /** One message of the record's list, cut to its mailbox's sharing level (`messageId`: the row the list shows). */
  get: 'get',
  /** One attachment of such a message (`part`), where its mailbox is shared in full. */
  attachment: 'attachment',
} as const;

/** The roles an address takes in a message, as the participants index stores them. */
export const PARTICIPANT_ROLES = ['from', 'sender', 'replyTo', 'to', 'cc', 'bcc'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const RECORD_MAIL_PAGE_SIZE_DEFAULT = 20;
export const RECORD_MAIL_PAGE_SIZE_MAX = 100;
/** Field paths a request may name, and addresses or domains a record may contribute. */
export const RECORD_MAIL_MAX_FIELDS = 10;
export const RECORD_MAIL_MAX_VALUES = 200;

/** Where one copy of a record's message lives. */
export interface RecordMessageLocation {
  messageRowId: number;
  accountId: number;
  /** The mailbox's address. */
  mailbox: string;
  folderId: number;
  folderName: string;
  folderRole: string | null;
}

/**
 * One message on a record, shaped by the level of the mailbox it is shown from (records/record-message-view.ts):
 * `metadata` has participants and date only; `subject` adds subject and snippet; `full` adds the attachments.
 */
export interface RecordMessageItem {
  /** The row it is shown from (the viewer's own copy when there is one). */
  id: number;
  accountId: number;
  level: VisibleLevel;
  /** The viewer's own mailbox. */
  own: boolean;
  /** Whose mailbox it is shown from. */
  mailboxOwnerId: number;
  /** The owner's name (nickname, else email), shown on a colleague's shared mail. */
  mailboxOwnerName: string;
  mailbox: string;
  messageId: string | null;
  date: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  /** Found by the record's addresses or domains. */
  matched: boolean;
  /** Linked to the record by hand (the message or its conversation). */
  linked: boolean;
  locations: RecordMessageLocation[];
  subject?: string;
  snippet?: string;
  threadKey?: string;
  hasAttachments?: boolean;
  attachments?: MailAttachmentMeta[];
}

export interface RecordMessagePage {
  rows: RecordMessageItem[];
  page: number;
  pageSize: number;
  /** A further page exists (no total: counting every match of a busy domain would cost more than the page). */
  hasMore: boolean;
}
