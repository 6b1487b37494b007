import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { accountsApi } from '../api/accounts-api';

/** The signed-in user's connected mailboxes. */
export function useMailAccounts() {
  const api = useAPIClient();
  return useRequest(() => accountsApi.list(api));
}
