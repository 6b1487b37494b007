import { MailFolderRole } from '../../../shared/mail-reading';

/** RFC 6154 special-use flags (plus imapflow's `\Inbox`) → role. */
const BY_FLAG: Record<string, MailFolderRole> = {
  '\\Inbox': MailFolderRole.inbox,
  '\\Sent': MailFolderRole.sent,
  '\\Drafts': MailFolderRole.drafts,
  '\\Trash': MailFolderRole.trash,
  '\\Junk': MailFolderRole.junk,
  '\\Archive': MailFolderRole.archive,
};

/**
 * Outlook's default folder names, for servers or accounts that list them without special-use flags (older
 * Exchange, some shared mailboxes). Lower-case, top level only.
 */
const BY_NAME: Record<string, MailFolderRole> = {
  inbox: MailFolderRole.inbox,
  'sent items': MailFolderRole.sent,
  sent: MailFolderRole.sent,
  drafts: MailFolderRole.drafts,
  'deleted items': MailFolderRole.trash,
  trash: MailFolderRole.trash,
  'junk email': MailFolderRole.junk,
  'junk e-mail': MailFolderRole.junk,
  junk: MailFolderRole.junk,
  archive: MailFolderRole.archive,
};

export interface ListedFolder {
  path: string;
  delimiter?: string | null;
  specialUse?: string;
  flags?: Set<string>;
}

/** The folder's role, or null for an ordinary folder. */
export function folderRole(folder: ListedFolder): MailFolderRole | null {
  // INBOX is case-insensitive by RFC 3501 §5.1.
  if (folder.path.toUpperCase() === 'INBOX') return MailFolderRole.inbox;
  if (folder.specialUse && BY_FLAG[folder.specialUse]) return BY_FLAG[folder.specialUse];
  for (const flag of folder.flags ?? []) if (BY_FLAG[flag]) return BY_FLAG[flag];
  const topLevel = !folder.delimiter || !folder.path.includes(folder.delimiter);
  return topLevel ? BY_NAME[folder.path.toLowerCase()] ?? null : null;
}

/** Folders a client cannot open (`\Noselect`, RFC 3501; `\NonExistent`, RFC 5258) hold no mail to sync. */
export function isSelectable(folder: ListedFolder): boolean {
  const flags = folder.flags ?? new Set<string>();
  return !flags.has('\\Noselect') && !flags.has('\\NonExistent');
}
