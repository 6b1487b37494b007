import { HistoryOutlined, TeamOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { Button, Modal, Select, Space, Table, Tooltip } from 'antd';
import { useState } from 'react';
import type { MailAccessLogEntry } from '../../shared/shared-mail-types';
import type { SharingLevel } from '../../shared/sharing';
import type { MailAccountView } from '../../shared/types';
import { sharingApi } from '../api/sharing-api';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';

interface Props {
  account: MailAccountView;
  onChanged(): void;
}

/** The owner's choice of what colleagues see of this mailbox on records, and the log of reads of it by others. */
export function SharingControl({ account, onChanged }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [saving, setSaving] = useState(false);
  const [log, setLog] = useState<MailAccessLogEntry[] | null>(null);
  const levels: { value: SharingLevel; label: string }[] = [
    { value: 'private', label: t('Not shared') },
    { value: 'metadata', label: t('Shared on records: participants and date') },
    { value: 'subject', label: t('Shared on records: plus subject') },
    { value: 'full', label: t('Shared on records: everything') },
  ];
  const labelOf = (level: SharingLevel) => levels.find((l) => l.value === level)?.label ?? level;
  const clamped = account.effectiveSharingLevel !== account.sharingLevel;

  const change = async (level: SharingLevel) => {
    setSaving(true);
    try {
      await sharingApi.setLevel(api, account.id, level);
      onChanged();
    } catch (err) {
      Modal.error({ title: t('The sharing level was not saved'), content: errorText(err) });
    } finally {
      setSaving(false);
    }
  };
  const openLog = async () => {
    try {
      setLog(await sharingApi.accessLog(api, account.id));
    } catch (err) {
      Modal.error({ title: t('Access log'), content: errorText(err) });
    }
  };

  return (
    <Space>
      <Tooltip
        title={
          clamped
            ? t('Your administrator sets the level in force: {{level}}.', {
                level: labelOf(account.effectiveSharingLevel),
              })
            : t('What colleagues allowed to see shared email find on business records. Private folders never are.')
        }
      >
        <Select
          aria-label={t('Sharing')}
          data-testid="sharing-level"
          suffixIcon={<TeamOutlined />}
          style={{ minWidth: 260 }}
          value={account.sharingLevel}
          loading={saving}
          onChange={change}
          options={levels}
        />
      </Tooltip>
      <Button icon={<HistoryOutlined />} onClick={openLog}>
        {t('Access log')}
      </Button>
      <Modal open={log !== null} title={t('Access log')} footer={null} width={720} onCancel={() => setLog(null)}>
        <Table<MailAccessLogEntry>
          size="small"
          rowKey="id"
          dataSource={log ?? []}
          locale={{ emptyText: t('Nobody else has read mail of this mailbox.') }}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('When'), dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString() },
            { title: t('Who'), render: (_, e) => e.viewer.name },
            {
              title: t('What'),
              render: (_, e) =>
                e.action === 'list'
                  ? t('Listed the mailbox')
                  : e.action === 'get'
                    ? t('Opened {{message}}', { message: e.messageRfcId ?? String(e.messageId) })
                    : t('Downloaded an attachment of {{message}}', { message: e.messageRfcId ?? String(e.messageId) }),
            },
          ]}
        />
      </Modal>
    </Space>
  );
}
