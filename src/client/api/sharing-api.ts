import type { APIClient } from '@nocobase/client';
import { MAIL_ACCOUNTS_RESOURCE, MailAccountsAction } from '../../shared/constants';
import { MAIL_FOLDERS_RESOURCE, MailFoldersAction } from '../../shared/mail-reading';
import type { MailAccessLogEntry } from '../../shared/shared-mail-types';
import type { SharingLevel } from '../../shared/sharing';
import type { MailAccountView } from '../../shared/types';
import { get, post } from './request';

type Id = number | string;

/** The owner's sharing choices: a mailbox's level, a folder's privacy, and who read the mailbox outside it. */
export const sharingApi = {
  setLevel: (api: APIClient, accountId: Id, level: SharingLevel) =>
    post<MailAccountView>(
      api,
      `${MAIL_ACCOUNTS_RESOURCE}:${MailAccountsAction.setSharing}`,
      { level },
      {
        filterByTk: accountId,
      },
    ),
  setFolderPrivate: (api: APIClient, folderId: Id, value: boolean) =>
    post<{ id: number; private: boolean }>(
      api,
      `${MAIL_FOLDERS_RESOURCE}:${MailFoldersAction.setPrivate}`,
      { private: value },
      { filterByTk: folderId },
    ),
  accessLog: (api: APIClient, accountId: Id) =>
    get<MailAccessLogEntry[]>(api, `${MAIL_ACCOUNTS_RESOURCE}:${MailAccountsAction.accessLog}`, {
      filterByTk: accountId,
    }),
};
