import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { messagesApi } from '../api/messages-api';
import { recordsApi, type RecordMailTarget } from '../api/records-api';
import {
  onlyOf,
  rowFromOwnItem,
  rowFromRecordItem,
  type EmailsBlockRow,
  type EmailsFoundBy,
  type QuickFilter,
} from '../blocks/emails/emails-block-props';

export interface EmailsBlockQuery {
  filter: QuickFilter;
  foundBy?: EmailsFoundBy;
  search: string;
  page: number;
  pageSize: number;
}

export interface EmailsBlockPage {
  rows: EmailsBlockRow[];
  hasMore: boolean;
}

/** Marked (per block: several may share a page) when a page of its mail has arrived; its list measures from here. */
export const EMAILS_DATA_MARK = 'mailbridge-emails:data';

/** One page of the block's mail: the record's (`target`) through `mailRecords:list`, or the user's own. */
export function useEmailsBlockData(
  target: RecordMailTarget | null,
  query: EmailsBlockQuery,
  changeKey: string,
  dataMark: string,
) {
  const api = useAPIClient();
  const { filter, foundBy, search, page, pageSize } = query;
  return useRequest(
    async (): Promise<EmailsBlockPage> => {
      const hasAttachments = filter === 'attachments' ? true : undefined;
      const direction = filter === 'received' || filter === 'sent' ? filter : undefined;
      if (target) {
        const res = await recordsApi.list(api, target, {
          direction,
          only: onlyOf(foundBy),
          hasAttachments,
          search: search || undefined,
          page,
          pageSize,
        });
        return { rows: res.rows.map(rowFromRecordItem), hasMore: res.hasMore };
      }
      const res = await messagesApi.list(api, { q: search || undefined, direction, hasAttachments, page, pageSize });
      return { rows: res.rows.map(rowFromOwnItem), hasMore: Boolean(res.hasMore) };
    },
    {
      refreshDeps: [JSON.stringify(target), filter, foundBy, search, page, pageSize, changeKey],
      onSuccess: () => performance.mark(dataMark),
    },
  );
}
