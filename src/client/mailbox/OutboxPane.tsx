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
  /** Opens a saved draft in the composer. */
  onEdit(draft: OutboxItemView): void;
}

/** Saved drafts (edit or delete), and messages that are waiting or failed (why; retry or delete). */
export function OutboxPane({ items, onChanged, onEdit }: Props) {
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
  if (!items.length)
    return (
      <Empty
        style={{ marginTop: 48 }}
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={t('No drafts, and nothing waiting to be sent.')}
      />
    );
  return (
    <List
      style={{ overflow: 'auto', flex: 1 }}
      dataSource={items}
      renderItem={(item) => (
        <List.Item
          actions={[
            item.state === OutboxState.draft ? (
              <Button key="edit" size="small" type="primary" onClick={() => onEdit(item)}>
                {t('Edit')}
              </Button>
            ) : (
              <Button
                key="retry"
                size="small"
                type="primary"
                loading={busy === `retry:${item.id}`}
                onClick={() => act(item, 'retry')}
              >
                {t('Retry')}
              </Button>
            ),
            <Popconfirm
              key="discard"
              title={t('Delete this message?')}
              okText={t('Delete')}
              cancelText={t('Cancel')}
              onConfirm={() => act(item, 'discard')}
            >
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
                <StateTag state={item.state} />
              </Space>
            }
            description={
              <>
                <div>
                  {t('To:')} {addressList(item.to)} · {fullDate(item.lastAttemptAt ?? item.updatedAt)}
                </div>
                {item.failureReason && <Alert type="error" message={item.failureReason} style={{ marginTop: 4 }} />}
                {item.rejectedRecipients.length > 0 && (
                  <Typography.Text type="warning">
                    {t('Refused recipients: {{list}}', { list: item.rejectedRecipients.join(', ') })}
                  </Typography.Text>
                )}
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}

function StateTag({ state }: { state: OutboxItemView['state'] }) {
  const { t } = usePluginTranslation();
  if (state === OutboxState.draft) return <Tag>{t('Draft')}</Tag>;
  if (state === OutboxState.failed) return <Tag color="error">{t('Not sent')}</Tag>;
  return <Tag color="processing">{t('Sending')}</Tag>;
}
