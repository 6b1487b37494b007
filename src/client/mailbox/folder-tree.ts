import type { MailFolderView } from '../../shared/mail-reading-types';

export interface FolderNode {
  folder: MailFolderView;
  children: FolderNode[];
}

/** Outlook's order: Inbox, then the folders every mailbox has, then the user's own alphabetically. */
const ROLE_ORDER = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'];

function rank(folder: MailFolderView): number {
  const i = folder.role ? ROLE_ORDER.indexOf(folder.role) : -1;
  return i === -1 ? ROLE_ORDER.length : i;
}

export function compareFolders(a: MailFolderView, b: MailFolderView): number {
  return rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });
}

/** Folders of one account as a tree (by `parentPath`); a folder whose parent is missing is shown at the top. */
export function folderTree(folders: MailFolderView[]): FolderNode[] {
  const nodes = new Map<string, FolderNode>();
  for (const folder of folders) nodes.set(folder.path, { folder, children: [] });
  const roots: FolderNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.folder.parentPath ? nodes.get(node.folder.parentPath) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: FolderNode[]) => {
    list.sort((a, b) => compareFolders(a.folder, b.folder));
    list.forEach((n) => sort(n.children));
    return list;
  };
  return sort(roots);
}
