import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { messagesApi } from '../api/messages-api';

/** A message with its sanitised body. Opening it marks it read on the server. */
export function useMessage(id: number | string | undefined, onLoaded?: () => void) {
  const api = useAPIClient();
  return useRequest(() => messagesApi.get(api, id as number | string), {
    ready: id !== undefined,
    refreshDeps: [id],
    onSuccess: onLoaded,
  });
}
