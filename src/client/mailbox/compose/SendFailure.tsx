import { Alert, Button, Space } from 'antd';
import type { OutboxItemView } from '../../../shared/mail-sending-types';
import { usePluginTranslation } from '../../locale';

/** A message the mail server did not take: why, and a retry. It stays in the Outbox either way. */
export function SendFailure({ item, retrying, onRetry }: { item: OutboxItemView; retrying: boolean; onRetry(): void }) {
  const { t } = usePluginTranslation();
  return (
    <Alert
      type="error"
      showIcon
      data-testid="send-failure"
      message={t('The message was not sent')}
      description={
        <Space direction="vertical">
          <span>{item.failureReason ?? t('The mail server did not accept the message.')}</span>
          <span>{t('It is kept in your Outbox; you can retry now or later.')}</span>
        </Space>
      }
      action={
        <Button size="small" type="primary" loading={retrying} onClick={onRetry}>
          {t('Retry')}
        </Button>
      }
    />
  );
}
