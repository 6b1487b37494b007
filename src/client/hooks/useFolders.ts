import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { messagesApi } from '../api/messages-api';

/** An account's folders with their counts; reloads when the change signal moves. */
export function useFolders(accountId: number | string | undefined, changeKey: string) {
  const api = useAPIClient();
  return useRequest(() => messagesApi.folders(api, accountId), {
    ready: accountId !== undefined,
    refreshDeps: [accountId, changeKey],
  });
}
