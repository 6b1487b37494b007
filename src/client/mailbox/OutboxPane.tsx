import { useAPIClient } from '@nocobase/client';
import { Alert, Button, Empty, List, Popconfirm, Space, Tag, Typography, message as toast } from 'antd';
import { useState } from 'react';
import type { OutboxItemView } from '../../shared/mail-sending-types';
import { OutboxState } from '../../shared/mail-sending';
import { composeApi } from '../api/compose-api';
import { announceMailChange } from '../hooks/mail-changes';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';
import { addressList, fullDate } from './format';

interface Props {
  items: OutboxItemView[];
  onChanged(): void;
}

/** Messages that are waiting or failed: why, and retry or delete. */
export function OutboxPane({ items, onChanged }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (item: OutboxItemView, what: 'retry' | 'discard') => {
    setBusy(`${what}:${item.id}`);
    try {
      if (what === 'retry') {
        const view = await composeApi.retry(api, item.id);
        if (view.state === OutboxState.sent) toast.success(t('Message sent'));
        else toast.error(view.failureReason ?? t('The message was not sent'));
      } else await composeApi.discard(api, item.id);
      announceMailChange();
      onChanged();
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  if (!items.length) return <Empty style={{ marginTop: 48 }} image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('Nothing is waiting to be sent.')} />;
  return (
    <List
      style={{ overflow: 'auto', flex: 1 }}
      dataSource={items}
      renderItem={(item) => (
        <List.Item
          actions={[
            <Button key="retry" size="small" type="primary" loading={busy === `retry:${item.id}`} onClick={() => act(item, 'retry')}>
              {t('Retry')}
            </Button>,
            <Popconfirm key="discard" title={t('Delete this message?')} okText={t('Delete')} cancelText={t('Cancel')} onConfirm={() => act(item, 'discard')}>
              <Button size="small" danger loading={busy === `discard:${item.id}`}>
                {t('Delete')}
              </Button>
            </Popconfirm>,
          ]}
        >
          <List.Item.Meta
            title={
              <Space>
                <span>{item.subject || t('(no subject)')}</span>
                <Tag color={item.state === OutboxState.failed ? 'error' : 'processing'}>{item.state === OutboxState.failed ? t('Not sent') : t('Sending')}</Tag>
              </Space>
            }
            description={
              <>
                <div>
                  {t('To:')} {addressList(item.to)} · {fullDate(item.lastAttemptAt ?? item.createdAt)}
                </div>
                {item.failureReason && <Alert type="error" message={item.failureReason} style={{ marginTop: 4 }} />}
                {item.rejectedRecipients.length > 0 && (
                  <Typography.Text type="warning">{t('Refused recipients: {{list}}', { list: item.rejectedRecipients.join(', ') })}</Typography.Text>
                )}
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}
