import type { APIClient } from '@nocobase/client';
import {
  MAIL_FOLDERS_RESOURCE,
  MAIL_MESSAGES_RESOURCE,
  MailFoldersAction,
  MailMessagesAction,
} from '../../shared/mail-reading';
import type {
  MailBulkResult,
  MailFolderView,
  MailMessageListItem,
  MailMessageView,
  MailRecipientsView,
  MailServerSearchView,
} from '../../shared/mail-reading-types';
import { blob, get, list, post, type Params } from './request';

const folders = (name: string) => `${MAIL_FOLDERS_RESOURCE}:${name}`;
const messages = (name: string) => `${MAIL_MESSAGES_RESOURCE}:${name}`;
type Id = number | string;

/** `mailMessages:list` filters the mailbox UI uses. */
export interface MessageQuery {
  accountId?: Id;
  folderId?: Id;
  q?: string;
  unread?: boolean;
  flagged?: boolean;
  hasAttachments?: boolean;
  direction?: 'received' | 'sent';
  threads?: boolean;
  /** One conversation by its thread key. */
  threadKey?: string;
  page?: number;
  pageSize?: number;
}

export type BulkAction = 'markRead' | 'markUnread' | 'flag' | 'unflag' | 'delete';

export const messagesApi = {
  folders: (api: APIClient, accountId?: Id) =>
    get<MailFolderView[]>(api, folders(MailFoldersAction.list), { accountId }),
  list: (api: APIClient, query: MessageQuery) =>
    list<MailMessageListItem>(api, messages(MailMessagesAction.list), query as Params),
  /** Opening a message marks it read (the server's default). */
  get: (api: APIClient, id: Id) => get<MailMessageView>(api, messages(MailMessagesAction.get), { filterByTk: id }),
  bulk: (api: APIClient, name: BulkAction, ids: Id[]) =>
    post<MailBulkResult>(api, messages(MailMessagesAction[name]), { ids }),
  move: (api: APIClient, ids: Id[], folderId: Id) =>
    post<MailBulkResult>(api, messages(MailMessagesAction.move), { ids, folderId }),
  /** Every To and Cc recipient; the message itself carries at most 500 of each. */
  recipients: (api: APIClient, id: Id) =>
    get<MailRecipientsView>(api, messages(MailMessagesAction.recipients), { filterByTk: id }),
  /** IMAP SEARCH over whole folders (all of the account's without `folderId`); what it finds is stored. */
  serverSearch: (api: APIClient, values: { accountId: Id; folderId?: Id; query: string }) =>
    post<MailServerSearchView>(api, messages(MailMessagesAction.serverSearch), values),
  attachment: (api: APIClient, id: Id, part: string, inline = false) =>
    blob(api, messages(MailMessagesAction.attachment), { filterByTk: id, part, inline: inline ? 1 : undefined }),
};
