import type { APIClient } from '@nocobase/client';
import { MAIL_RECORDS_RESOURCE, MailRecordsAction, type RecordMessageItem } from '../../shared/mail-records';
import type { SharedMessageView } from '../../shared/shared-mail-types';
import { blob, get, type Params } from './request';

const action = (name: string) => `${MAIL_RECORDS_RESOURCE}:${name}`;

/** Which record's mail, and found how: the record is read on the server with the caller's permissions. */
export interface RecordMailTarget {
  collection: string;
  filterByTk: string | number;
  addressFields?: string[];
  domainFields?: string[];
}

export interface RecordMailQuery {
  direction?: 'received' | 'sent';
  /** Only the mail found by the record's fields, or only the mail linked to it; both when absent. */
  only?: 'matched' | 'linked';
  hasAttachments?: boolean;
  search?: string;
  page?: number;
  pageSize?: number;
}

export interface RecordMailPage {
  rows: RecordMessageItem[];
  hasMore: boolean;
}

/** Field lists travel as comma-separated text, which the server splits (no bracket syntax in the query string). */
function targetParams(t: RecordMailTarget): Params {
  return {
    collection: t.collection,
    filterByTk: t.filterByTk,
    addressFields: t.addressFields?.length ? t.addressFields.join(',') : undefined,
    domainFields: t.domainFields?.length ? t.domainFields.join(',') : undefined,
  };
}

/** `mailRecords:list|get|attachment`: a business record's mail, cut by the server to each mailbox's sharing level. */
export const recordsApi = {
  async list(api: APIClient, target: RecordMailTarget, query: RecordMailQuery): Promise<RecordMailPage> {
    const res = await api.request<{ data: RecordMessageItem[]; meta?: { hasMore?: boolean } }>({
      url: action(MailRecordsAction.list),
      method: 'get',
      params: { ...targetParams(target), ...query },
      skipNotify: true,
    });
    return { rows: res.data.data, hasMore: Boolean(res.data.meta?.hasMore) };
  },
  get: (api: APIClient, target: RecordMailTarget, messageId: number) =>
    get<SharedMessageView>(api, action(MailRecordsAction.get), { ...targetParams(target), messageId }),
  attachment: (api: APIClient, target: RecordMailTarget, messageId: number, part: string) =>
    blob(api, action(MailRecordsAction.attachment), { ...targetParams(target), messageId, part }),
};
