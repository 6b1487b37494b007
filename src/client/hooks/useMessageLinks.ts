import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { linksApi } from '../api/links-api';

/** The records a message is linked to (directly or through its conversation) that the user can view. */
export function useMessageLinks(messageId: number | string) {
  const api = useAPIClient();
  return useRequest(() => linksApi.listForMessage(api, messageId), { refreshDeps: [messageId] });
}
