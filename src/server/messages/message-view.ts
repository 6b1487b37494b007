import type {
  MailAddress,
  MailAttachmentMeta,
  MailFolderView,
  MailMessageListItem,
} from '../../shared/mail-reading-types';
import { jsonColumn } from '../db/json-column';

type Row = { get(key: string): unknown };

/** Columns a list row needs; the body cache columns are left out of every list query. */
export const LIST_ATTRIBUTES = [
  'id',
  'accountId',
  'folderId',
  'uid',
  'messageId',
  'threadKey',
  'subject',
  'from',
  'to',
  'cc',
  'replyTo',
  'date',
  'read',
  'flagged',
  'answered',
  'draft',
  'snippet',
  'size',
  'hasAttachments',
  'attachments',
];

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v as string);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function plain(row: Row | Record<string, unknown>): (key: string) => unknown {
  return typeof (row as Row).get === 'function'
    ? (key) => (row as Row).get(key)
    : (key) => (row as Record<string, unknown>)[key];
}

/** The only shape a message leaves the server in for lists: an allow-list. */
export function toListItem(row: Row | Record<string, unknown>): MailMessageListItem {
  const get = plain(row);
  return {
    id: get('id') as number,
    accountId: get('accountId') as number,
    folderId: get('folderId') as number,
    uid: Number(get('uid')),
    messageId: (get('messageId') as string | null) ?? null,
    threadKey: (get('threadKey') as string) ?? '',
    subject: (get('subject') as string) ?? '',
    from: jsonColumn<MailAddress[]>(get('from'), []),
    to: jsonColumn<MailAddress[]>(get('to'), []),
    cc: jsonColumn<MailAddress[]>(get('cc'), []),
    replyTo: jsonColumn<MailAddress[]>(get('replyTo'), []),
    date: iso(get('date')),
    read: !!get('read'),
    flagged: !!get('flagged'),
    answered: !!get('answered'),
    draft: !!get('draft'),
    snippet: (get('snippet') as string) ?? '',
    size: Number(get('size') ?? 0),
    hasAttachments: !!get('hasAttachments'),
    attachments: jsonColumn<MailAttachmentMeta[]>(get('attachments'), []),
  };
}

export function toFolderView(row: Row): MailFolderView {
  const path = row.get('path') as string;
  const delimiter = (row.get('delimiter') as string | null) ?? '/';
  const cut = delimiter ? path.lastIndexOf(delimiter) : -1;
  return {
    id: row.get('id') as number,
    accountId: row.get('accountId') as number,
    path,
    name: row.get('name') as string,
    parentPath: cut > 0 ? path.slice(0, cut) : '',
    delimiter,
    role: (row.get('role') as MailFolderView['role']) ?? null,
    totalCount: Number(row.get('totalCount') ?? 0),
    unreadCount: Number(row.get('unreadCount') ?? 0),
    lastSyncedAt: iso(row.get('lastSyncedAt')),
    syncError: (row.get('syncError') as string | null) ?? null,
    syncErrorAt: iso(row.get('syncErrorAt')),
    private: !!row.get('private'),
  };
}
