import { useAPIClient } from '@nocobase/client';
import { Alert, Button, Form, Input, List, Modal, Progress, Select, Space, Tag, Typography } from 'antd';
import { useRequest } from 'ahooks';
import { useMemo, useState } from 'react';
import { OutboxState } from '../../../shared/mail-sending';
import type { OutboxItemView } from '../../../shared/mail-sending-types';
import type { MailAccountView } from '../../../shared/types';
import { composeApi } from '../../api/compose-api';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import type { SendEmailSettings } from './action-settings';
import { bulkRecipients } from './bulk-recipients';

/** What a bulk "Send email" opens with: the table's selected rows and the action's settings. */
export interface BulkSendTarget {
  collection: string;
  rows: Array<Record<string, unknown>>;
  settings: SendEmailSettings;
  keyField: string;
  titleField?: string;
}

interface Props {
  target: BulkSendTarget;
  accounts: MailAccountView[];
  onClose(): void;
}

const SETTLED: string[] = [OutboxState.sent, OutboxState.failed];

/**
 * A bulk send: the messages to be sent (one per selected record), the sending mailbox and the templates; once sent,
 * each record's message as it goes out, polled from the outbox. Closing the dialog does not stop the messages.
 */
export function BulkSendDialog({ target, accounts, onClose }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [accountId, setAccountId] = useState(accounts[0]?.id);
  const [subject, setSubject] = useState(target.settings.subject);
  const [body, setBody] = useState(target.settings.body);
  const [batchId, setBatchId] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const plan = useMemo(
    () => bulkRecipients(target.rows, target.settings, { subject, body }, target.keyField, target.titleField),
    [target, subject, body],
  );
  const titles = useMemo(() => plan.ready.map((r) => r.title), [plan]);

  const progress = useRequest(() => composeApi.batch(api, batchId as string), {
    ready: !!batchId,
    refreshDeps: [batchId],
    pollingInterval: 2_000,
    onSuccess: (page, _params) => {
      if (page.rows.every((r) => SETTLED.includes(r.state))) progress.cancel();
    },
  });

  const send = async () => {
    if (accountId === undefined) return;
    setSending(true);
    setError(null);
    try {
      const view = await composeApi.sendBulk(api, {
        accountId,
        items: plan.ready.map((r) => ({
          to: r.to,
          cc: r.cc,
          subject: r.subject,
          html: r.html,
          record: { collection: target.collection, recordKey: r.recordKey },
        })),
      });
      setBatchId(view.batchId);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  const items: OutboxItemView[] = progress.data?.rows ?? [];
  const settled = items.filter((r) => SETTLED.includes(r.state)).length;
  const stateTag = (item: OutboxItemView) => {
    if (item.state === OutboxState.sent) return <Tag color="success">{t('Sent')}</Tag>;
    if (item.state === OutboxState.failed) return <Tag color="error">{t('Failed')}</Tag>;
    if (item.state === OutboxState.sending) return <Tag color="processing">{t('Sending')}</Tag>;
    return <Tag>{t('Waiting')}</Tag>;
  };

  return (
    <Modal
      open
      width={720}
      title={t('Send email to {{count}} records', { count: plan.ready.length })}
      onCancel={onClose}
      footer={
        batchId ? (
          <Button onClick={onClose}>{t('Close')}</Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('Cancel')}</Button>
            <Button type="primary" loading={sending} disabled={!plan.ready.length || !accountId} onClick={send}>
              {t('Send {{count}} messages', { count: plan.ready.length })}
            </Button>
          </Space>
        )
      }
    >
      {batchId ? (
        <div data-testid="bulk-send-progress">
          <Progress percent={items.length ? Math.round((settled / items.length) * 100) : 0} />
          <Typography.Paragraph type="secondary">
            {t(
              'The messages go out one by one, at the rate the mail provider allows. Closing this window does not stop them; the Outbox shows them too.',
            )}
          </Typography.Paragraph>
          <List
            size="small"
            dataSource={items}
            renderItem={(item, i) => (
              <List.Item data-testid="bulk-send-item" data-state={item.state}>
                <Space direction="vertical" size={0} style={{ width: '100%' }}>
                  <Space>
                    {stateTag(item)}
                    <strong>{titles[i] ?? ''}</strong>
                    <span>{item.to.map((a) => a.address).join(', ')}</span>
                  </Space>
                  {item.failureReason && <Typography.Text type="danger">{item.failureReason}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        </div>
      ) : (
        <Form layout="vertical">
          <Form.Item label={t('From')}>
            <Select
              aria-label={t('From')}
              value={accountId}
              onChange={setAccountId}
              options={accounts.map((a) => ({ value: a.id, label: a.address }))}
            />
          </Form.Item>
          <Form.Item label={t('Subject')}>
            <Input aria-label={t('Subject')} value={subject} onChange={(e) => setSubject(e.target.value)} />
          </Form.Item>
          <Form.Item
            label={t('Message')}
            extra={t('Write {{example}} to put in the record’s value of a field (here, its name).', {
              example: '{{name}}',
              interpolation: { escapeValue: false },
            })}
          >
            <Input.TextArea
              aria-label={t('Message')}
              autoSize={{ minRows: 4 }}
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          </Form.Item>
          <Typography.Paragraph>
            {t('One message to each record, not one message to all: they do not see each other’s addresses.')}
          </Typography.Paragraph>
          <List
            size="small"
            bordered
            dataSource={plan.ready}
            style={{ maxHeight: 240, overflow: 'auto' }}
            renderItem={(r) => (
              <List.Item data-testid="bulk-send-recipient">
                <strong>{r.title}</strong> <span>{r.to.join(', ')}</span>
              </List.Item>
            )}
          />
          {plan.skipped.length > 0 && (
            <Alert
              style={{ marginTop: 8 }}
              type="warning"
              showIcon
              message={t('No address, no message: {{list}}', { list: plan.skipped.map((s) => s.title).join(', ') })}
            />
          )}
        </Form>
      )}
      {error && <Alert style={{ marginTop: 8 }} type="error" showIcon message={error} data-testid="bulk-send-error" />}
    </Modal>
  );
}
