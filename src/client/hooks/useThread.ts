import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import { MESSAGE_PAGE_SIZE_MAX } from '../../shared/mail-reading';
import { messagesApi } from '../api/messages-api';

/** Every message of a conversation in the account, across folders (the user's own replies sit in Sent), oldest first. */
export function useThread(row: MailMessageListItem | undefined, changeKey: string) {
  const api = useAPIClient();
  return useRequest(
    async () => {
      const r = row as MailMessageListItem;
      const page = await messagesApi.list(api, {
        accountId: r.accountId,
        threadKey: r.threadKey,
        pageSize: MESSAGE_PAGE_SIZE_MAX,
      });
      const members = [...page.rows];
      if (!members.some((m) => String(m.id) === String(r.id))) members.push(r);
      return members.sort((a, b) => String(a.date ?? '').localeCompare(String(b.date ?? '')));
    },
    { ready: !!row, refreshDeps: [row?.threadKey, changeKey] },
  );
}
