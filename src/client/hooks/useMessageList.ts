import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { messagesApi, type MessageQuery } from '../api/messages-api';

/** One page of messages for the current folder and filters; reloads when the change signal moves. */
export function useMessageList(query: MessageQuery | null, changeKey: string) {
  const api = useAPIClient();
  return useRequest(() => messagesApi.list(api, query as MessageQuery), {
    ready: query !== null,
    refreshDeps: [JSON.stringify(query), changeKey],
  });
}
