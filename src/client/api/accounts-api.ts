import type { APIClient } from '@nocobase/client';
import { MAIL_ACCOUNTS_RESOURCE, MailAccountsAction, MailProviderKey } from '../../shared/constants';
import { FORGET_LINKS_VALUE } from '../../shared/mail-links';
import { MailAccountsSyncAction } from '../../shared/mail-reading';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import type { MailAccountView, MailConnectStart } from '../../shared/types';
import { get, post } from './request';

const action = (name: string) => `${MAIL_ACCOUNTS_RESOURCE}:${name}`;
type Id = number | string;

export const accountsApi = {
  list: (api: APIClient) => get<MailAccountView[]>(api, action(MailAccountsAction.list)),
  /** Starts a sign-in; the answer's URL goes to the popup (or the whole window). */
  /** Starts a sign-in with `provider`, or with the provider the settings configure when none is named. */
  connect: (api: APIClient, provider?: MailProviderKey) =>
    post<MailConnectStart>(api, action(MailAccountsAction.connect), provider ? { provider } : {}),
  /** `forgetLinks`: also remove the links to records made from this mailbox; they are kept otherwise. */
  disconnect: (api: APIClient, id: Id, options: { forgetLinks?: boolean } = {}) =>
    post<{ id: Id }>(
      api,
      action(MailAccountsAction.disconnect),
      options.forgetLinks ? { [FORGET_LINKS_VALUE]: true } : undefined,
      { filterByTk: id },
    ),
  syncStatus: (api: APIClient) => get<MailSyncStatusView[]>(api, action(MailAccountsSyncAction.syncStatus)),
  sync: (api: APIClient, id: Id) =>
    post<MailSyncStatusView>(api, action(MailAccountsSyncAction.sync), undefined, { filterByTk: id }),
};
