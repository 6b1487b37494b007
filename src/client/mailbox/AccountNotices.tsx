import { Alert, Button, Progress } from 'antd';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { MailAccountStatus } from '../../shared/constants';
import type { MailAccountView } from '../../shared/types';
import { usePluginTranslation } from '../locale';

interface Props {
  account: MailAccountView | undefined;
  status: MailSyncStatusView | undefined;
  onReconnect(): void;
  connecting: boolean;
}

/** What the current account needs the user to know: reconnect, a failing sync, or the first sync's progress. */
export function AccountNotices({ account, status, onReconnect, connecting }: Props) {
  const { t } = usePluginTranslation();
  if (!account) return null;
  if (account.status === MailAccountStatus.reconnectRequired) {
    return (
      <Alert
        banner
        type="warning"
        data-testid="reconnect-banner"
        message={t('{{address}} needs you to sign in to Microsoft again.', { address: account.address })}
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
    return <Alert banner type="error" message={t('{{address}} cannot sync.', { address: account.address })} description={account.statusReason ?? t('Ask your administrator to check the email settings.')} />;
  }
  if (!status) return null;
  if (status.stage === 'pending' || (status.stage === 'initial' && status.total === 0)) {
    return <Alert banner type="info" data-testid="first-sync" message={t('Getting your mail from Outlook…')} />;
  }
  if (status.stage === 'initial') {
    const percent = Math.floor((status.done / Math.max(1, status.total)) * 100);
    return (
      <Alert
        banner
        type="info"
        data-testid="first-sync"
        message={t('Getting your mail from Outlook: {{done}} of {{total}} messages', { done: status.done, total: status.total })}
        description={<Progress percent={percent} size="small" status="active" />}
      />
    );
  }
  if (status.stage === 'retrying' && status.lastError) {
    return <Alert banner type="warning" message={t('Sync is having trouble and will try again.')} description={status.lastError} />;
  }
  return null;
}
