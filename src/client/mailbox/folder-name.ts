import type { MailFolderView } from '../../shared/mail-reading-types';
import { k } from '../locale';

/** Special folders in the user's language; the user's own folders keep their names. */
const ROLE_NAMES: Record<string, string> = {
  inbox: k('Inbox'),
  drafts: k('Drafts'),
  sent: k('Sent Items'),
  trash: k('Deleted Items'),
  junk: k('Junk Email'),
  archive: k('Archive'),
};

export function folderName(folder: Pick<MailFolderView, 'role' | 'name'>, t: (key: string) => string): string {
  return folder.role && ROLE_NAMES[folder.role] ? t(ROLE_NAMES[folder.role]) : folder.name;
}
