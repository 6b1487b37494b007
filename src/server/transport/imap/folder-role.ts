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

/** Lower-case top-level folder name → role, for folders a server lists without special-use flags. */
export type FolderNames = Readonly<Record<string, MailFolderRole>>;

/**
 * Names any server may use for its standard folders. A provider adds its own (`MailProvider.folderNames`), for
 * servers or accounts that list them without special-use flags (older Exchange, some shared mailboxes).
 */
const COMMON_NAMES: FolderNames = {
  inbox: MailFolderRole.inbox,
  sent: MailFolderRole.sent,
  drafts: MailFolderRole.drafts,
  trash: MailFolderRole.trash,
  junk: MailFolderRole.junk,
  archive: MailFolderRole.archive,
};

export interface ListedFolder {
  path: string;
  delimiter?: string | null;
  specialUse?: string;
  flags?: Set<string>;
}

/** The folder's role, or null for an ordinary folder; `names` are the provider's own folder names. */
export function folderRole(folder: ListedFolder, names: FolderNames = {}): MailFolderRole | null {
  // INBOX is case-insensitive by RFC 3501 §5.1.
  if (folder.path.toUpperCase() === 'INBOX') return MailFolderRole.inbox;
  if (folder.specialUse && BY_FLAG[folder.specialUse]) return BY_FLAG[folder.specialUse];
  for (const flag of folder.flags ?? []) if (BY_FLAG[flag]) return BY_FLAG[flag];
  const topLevel = !folder.delimiter || !folder.path.includes(folder.delimiter);
  if (!topLevel) return null;
  const name = folder.path.toLowerCase();
  return names[name] ?? COMMON_NAMES[name] ?? null;
}

/** Folders a client cannot open (`\Noselect`, RFC 3501; `\NonExistent`, RFC 5258) hold no mail to sync. */
export function isSelectable(folder: ListedFolder): boolean {
  const flags = folder.flags ?? new Set<string>();
  return !flags.has('\\Noselect') && !flags.has('\\NonExistent');
}
