import type { MailAddress } from '../../shared/mail-reading-types';
import { MailFolderRole } from '../../shared/mail-reading';
import { MailboxSelection } from '../../shared/mail-workflow';

/** The "Mail received" trigger's options, as the workflow editor saves them. */
export interface MailReceivedConfig {
  mailboxes?: MailboxSelection;
  accountIds?: Array<number | string>;
  roles?: string[];
  /** Folder roles (inbox, sent, archive…): "Inbox" is the Inbox on any provider. Default: the Inbox only. */
  folderRoles?: string[];
  /** Case-insensitive "contains" on the sender's name and address. */
  from?: string;
  /** Case-insensitive "contains" on the To and Cc names and addresses. */
  to?: string;
  subject?: string;
  /** Only messages with (true) or without (false) attachments; unset: either. */
  hasAttachments?: boolean | null;
  /** Also mail that was already in the mailbox when it was connected. */
  includeExisting?: boolean;
}

export interface StoredMail {
  folderRole: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject: string | null;
  hasAttachments: boolean;
  /** When the server received it (INTERNALDATE). */
  date: Date;
}

export interface Mailbox {
  accountId: number;
  /** Role names of the mailbox's owner. */
  ownerRoles: string[];
  /** When the mailbox was first connected: mail received before is "existing mail". */
  connectedSince: Date;
}

const DEFAULT_FOLDER_ROLES = [MailFolderRole.inbox];

/**
 * A config is JSON anyone with the workflow API may save: a value of another type than the editor saves matches
 * nothing (rather than throwing, which would keep every other workflow from hearing the same mail).
 */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function contains(haystack: string, needle: unknown): boolean {
  if (needle === undefined || needle === null) return true;
  if (typeof needle !== 'string') return false;
  const n = needle.trim().toLowerCase();
  return !n || haystack.toLowerCase().includes(n);
}

function addressText(list: MailAddress[]): string {
  return list.map((a) => `${a.name ?? ''} <${a.address ?? ''}>`).join(', ');
}

/** Whether the workflow listens to this mailbox. */
export function watchesMailbox(config: MailReceivedConfig, mailbox: Mailbox): boolean {
  switch (config.mailboxes ?? MailboxSelection.all) {
    case MailboxSelection.accounts:
      return listOf(config.accountIds).some((id) => Number(id) === mailbox.accountId);
    case MailboxSelection.roles:
      return listOf(config.roles).some((role) => mailbox.ownerRoles.includes(role as string));
    default:
      return true;
  }
}

/** Whether a message stored in one of the mailbox's folders starts the workflow (the mailbox already matched). */
export function matchesMail(config: MailReceivedConfig, mail: StoredMail, mailbox: Mailbox): boolean {
  const chosen = config.folderRoles ?? [];
  const roles: unknown[] = Array.isArray(chosen) && !chosen.length ? DEFAULT_FOLDER_ROLES : listOf(chosen);
  if (!mail.folderRole || !roles.includes(mail.folderRole)) return false;
  // INTERNALDATE has whole seconds (RFC 3501 date-time): mail received in the second of the connection is new.
  const connected = Math.floor(mailbox.connectedSince.getTime() / 1000) * 1000;
  if (!config.includeExisting && mail.date.getTime() < connected) return false;
  if (config.hasAttachments === true && !mail.hasAttachments) return false;
  if (config.hasAttachments === false && mail.hasAttachments) return false;
  return (
    contains(addressText(mail.from), config.from) &&
    contains(addressText([...mail.to, ...mail.cc]), config.to) &&
    contains(mail.subject ?? '', config.subject)
  );
}
