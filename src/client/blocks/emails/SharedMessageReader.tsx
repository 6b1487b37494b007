import { LockOutlined, PaperClipOutlined, TeamOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { Alert, Button, Descriptions, Skeleton, Space, Typography, message as toast } from 'antd';
import { useMemo } from 'react';
import { recordsApi, type RecordMailTarget } from '../../api/records-api';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import { addressList, fullDate } from '../../mailbox/format';
import { mailSrcdoc, textToHtml } from '../../mailbox/mail-frame';
import { SandboxedMailFrame } from '../../mailbox/SandboxedMailFrame';
import { saveBlob } from '../../hooks/useDownload';
import type { EmailsBlockRow } from './emails-block-props';
import { withheldReason } from './shared-level-text';

/**
 * A colleague's message on a record, read through `mailRecords:get`: whose mailbox it is, and only what its
 * sharing level allows. Below `full` the server sends no body and no attachments, and the reader says why.
 */
export function SharedMessageReader({ row, target }: { row: EmailsBlockRow; target: RecordMailTarget }) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const request = useRequest(() => recordsApi.get(api, target, row.id), { refreshDeps: [row.id] });
  const m = request.data;
  const srcdoc = useMemo(
    () => (m && m.level === 'full' ? mailSrcdoc(m.html ?? textToHtml(m.text ?? ''), { showRemote: false }) : ''),
    [m],
  );
  if (request.error) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('The message could not be opened')}
        description={errorText(request.error)}
      />
    );
  }
  if (!m) return <Skeleton active />;
  const owner = m.mailbox.ownerName || m.mailbox.address;
  const reason = withheldReason(m.level);
  return (
    <div
      data-testid="shared-message"
      data-level={m.level}
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
    >
      <Alert
        type="info"
        icon={<TeamOutlined />}
        showIcon
        data-testid="shared-message-owner"
        message={t('From the mailbox of {{owner}} ({{address}}), shared with you on this record', {
          owner,
          address: m.mailbox.address,
        })}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {m.level === 'metadata' ? t('(subject not shared)') : m.subject || t('(no subject)')}
      </Typography.Title>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('From')}>{addressList(m.from)}</Descriptions.Item>
        <Descriptions.Item label={t('To')}>{addressList(m.to)}</Descriptions.Item>
        {m.cc.length > 0 && <Descriptions.Item label={t('Cc')}>{addressList(m.cc)}</Descriptions.Item>}
        <Descriptions.Item label={t('Date')}>{fullDate(m.date)}</Descriptions.Item>
      </Descriptions>
      {reason ? (
        <Alert
          type="warning"
          icon={<LockOutlined />}
          showIcon
          data-testid="shared-message-withheld"
          message={t(reason, { owner })}
        />
      ) : (
        <>
          {(m.attachments ?? []).length > 0 && (
            <Space wrap>
              {(m.attachments ?? []).map((a) => (
                <Button
                  key={a.part}
                  icon={<PaperClipOutlined />}
                  onClick={async () => {
                    try {
                      saveBlob(await recordsApi.attachment(api, target, row.id, a.part), a.filename ?? 'attachment');
                    } catch (err) {
                      toast.error(errorText(err));
                    }
                  }}
                >
                  {a.filename}
                </Button>
              ))}
            </Space>
          )}
          <SandboxedMailFrame srcdoc={srcdoc} style={{ minHeight: 320 }} />
        </>
      )}
    </div>
  );
}
