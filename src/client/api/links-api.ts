import type { APIClient } from '@nocobase/client';
import { MAIL_LINKS_RESOURCE, MailLinksAction, type MailLinkView, type MailRecordLink } from '../../shared/mail-links';
import { get, list, post, type Params } from './request';

type Id = number | string;
const links = (name: string) => `${MAIL_LINKS_RESOURCE}:${name}`;

/** Links between the open message and business records (`mailLinks`). */
export const linksApi = {
  listForMessage: (api: APIClient, messageId: Id) =>
    get<MailRecordLink[]>(api, links(MailLinksAction.listForMessage), { messageId }),
  /** `whole`: the message's conversation, so replies that arrive later are on the record too. */
  link: (api: APIClient, values: { messageId: Id; collection: string; recordKey: string; whole?: boolean }) =>
    post<MailLinkView>(api, links(MailLinksAction.link), values),
  unlink: (api: APIClient, linkId: number) => post<unknown>(api, links(MailLinksAction.unlink), { linkId }),
};

/** NocoBase's own actions the record picker reads: the main data source's collections, the role, and records. */
export const recordsApi = {
  collections: <T>(api: APIClient) => get<T[]>(api, 'collections:listMeta'),
  roleCheck: <T>(api: APIClient) => get<T>(api, 'roles:check'),
  records: (api: APIClient, collection: string, params: Params) =>
    list<Record<string, unknown>>(api, `${collection}:list`, params),
};
