import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { useMemo } from 'react';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { accountsApi } from '../api/accounts-api';

/**
 * Polls the server's cheap change signal while the page is visible. `changeKey` moves whenever stored mail of any
 * of the user's accounts changed (new mail, flags, moves) or a sync starts or ends, so lists reload only then.
 */
export function useSyncStatus(intervalMs: number, enabled = true) {
  const api = useAPIClient();
  const request = useRequest(() => accountsApi.syncStatus(api), {
    pollingInterval: intervalMs,
    pollingWhenHidden: false,
    ready: enabled,
    refreshOnWindowFocus: true,
  });
  const statuses: MailSyncStatusView[] = useMemo(() => request.data ?? [], [request.data]);
  // The stage too: a first sync of an empty mailbox stores folders but no messages, and lists must still follow.
  const changeKey = useMemo(
    () => statuses.map((s) => `${s.accountId}:${s.changeSeq}:${s.stage}`).join(','),
    [statuses],
  );
  return { statuses, changeKey, refresh: request.refresh };
}
