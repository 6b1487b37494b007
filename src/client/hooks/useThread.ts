import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import { MESSAGE_PAGE_SIZE_MAX } from '../../shared/mail-reading';
import { messagesApi } from '../api/messages-api';

/** Subject words without reply/forward prefixes, to narrow the search for a conversation's messages. */
function subjectWords(subject: string): string {
  return subject.replace(/^\s*((re|fw|fwd|aw|wg|odp|pd|答复|回复|转发)\s*(\[\d+\])?\s*[:：]\s*)+/i, '').trim().split(/\s+/).slice(0, 8).join(' ');
}

/**
 * Every message of a conversation in the account, across folders (the user's own replies sit in Sent), oldest
 * first. The list API has no thread filter, so this searches by subject and keeps the thread's messages.
 */
export function useThread(row: MailMessageListItem | undefined, changeKey: string) {
  const api = useAPIClient();
  return useRequest(
    async () => {
      const r = row as MailMessageListItem;
      const page = await messagesApi.list(api, { accountId: r.accountId, q: subjectWords(r.subject) || undefined, pageSize: MESSAGE_PAGE_SIZE_MAX });
      const members = page.rows.filter((m) => m.threadKey === r.threadKey);
      if (!members.some((m) => String(m.id) === String(r.id))) members.push(r);
      return members.sort((a, b) => String(a.date ?? '').localeCompare(String(b.date ?? '')));
    },
    { ready: !!row, refreshDeps: [row?.threadKey, changeKey] },
  );
}
