import { Alert, Button, Progress } from 'antd';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { MailAccountStatus } from '../../shared/constants';
import type { MailAccountView } from '../../shared/types';
import { usePluginTranslation } from '../locale';
import { mailProviders } from '../providers/registry';

interface Props {
  account: MailAccountView | undefined;
  status: MailSyncStatusView | undefined;
  onReconnect(): void;
  connecting: boolean;
}

/** The time of the next try in the user's locale, with the date when it is not today. */
function retryTime(iso: string): string {
  const at = new Date(iso);
  const today = at.toDateString() === new Date().toDateString();
  return today
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/**
 * What the current account needs the user to know: reconnect, a failing sync, the first sync's progress, or how far
 * the body text indexing for search is.
 */
export function AccountNotices({ account, status, onReconnect, connecting }: Props) {
  const { t } = usePluginTranslation();
  if (!account) return null;
  const { wording } = mailProviders.get(account.provider);
  if (account.status === MailAccountStatus.reconnectRequired) {
    return (
      <Alert
        banner
        type="warning"
        data-testid="reconnect-banner"
        message={t(wording.reconnectNotice, { address: account.address })}
        description={account.statusReason ?? undefined}
        action={
          <Button type="primary" size="small" onClick={onReconnect} loading={connecting}>
            {t('Reconnect')}
          </Button>
        }
      />
    );
  }
  if (account.status === MailAccountStatus.error) {
    const reason = account.statusReason ?? t('Ask your administrator to check the email settings.');
    const next = status?.nextRetryAt
      ? t('It will be tried again at {{time}}.', { time: retryTime(status.nextRetryAt) })
      : null;
    return (
      <Alert
        banner
        type="error"
        message={t('{{address}} cannot sync.', { address: account.address })}
        description={next ? `${reason} ${next}` : reason}
      />
    );
  }
  if (!status) return null;
  if (status.stage === 'pending' || (status.stage === 'initial' && status.total === 0)) {
    return <Alert banner type="info" data-testid="first-sync" message={t(wording.firstSync)} />;
  }
  if (status.stage === 'initial') {
    const percent = Math.floor((status.done / Math.max(1, status.total)) * 100);
    return (
      <Alert
        banner
        type="info"
        data-testid="first-sync"
        message={t(wording.firstSyncProgress, { done: status.done, total: status.total })}
        description={<Progress percent={percent} size="small" status="active" />}
      />
    );
  }
  if (status.stage === 'retrying' && status.lastError) {
    const message = status.nextRetryAt
      ? t('Sync is having trouble and will try again at {{time}}.', { time: retryTime(status.nextRetryAt) })
      : t('Sync is having trouble and will try again.');
    return <Alert banner type="warning" data-testid="sync-retrying" message={message} description={status.lastError} />;
  }
  // The background indexer fetches body text for search after the sync; a run that catches up counts again.
  const textIndex = status.textIndex;
  if (textIndex && textIndex.total > 0 && textIndex.done < textIndex.total) {
    return (
      <Alert
        banner
        type="info"
        showIcon={false}
        data-testid="text-index"
        message={t('Indexing message text for search: {{done}} of {{total}}.', textIndex)}
      />
    );
  }
  return null;
}
