import { DisconnectOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popconfirm, Select, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { MailAccountStatus } from '../../shared/constants';
import type { MailAccountView } from '../../shared/types';
import { usePluginTranslation } from '../locale';
import { mailProviders } from '../providers/registry';

interface Props {
  accounts: MailAccountView[];
  statuses: MailSyncStatusView[];
  accountId: number | string | undefined;
  onAccount(id: number | string): void;
  onConnect(): void;
  connecting: boolean;
  onSync(): void;
  syncing: boolean;
  /** `forgetLinks`: also remove the links to records made from this mailbox (kept by default). */
  onDisconnect(account: MailAccountView, options: { forgetLinks: boolean }): void;
}

/** The connected addresses with their status; connect another, sync now, disconnect (after a confirmation). */
export function AccountBar(p: Props) {
  const { t } = usePluginTranslation();
  const current = p.accounts.find((a) => String(a.id) === String(p.accountId));
  const provider = mailProviders.get(current?.provider);
  const [forgetLinks, setForgetLinks] = useState(false);
  const statusTag = (a: MailAccountView) => {
    if (a.status === MailAccountStatus.connected) {
      const s = p.statuses.find((x) => String(x.accountId) === String(a.id));
      if (s?.stage === 'retrying') return <Tag color="warning">{t('Retrying')}</Tag>;
      return <Tag color="success">{t('Connected')}</Tag>;
    }
    if (a.status === MailAccountStatus.reconnectRequired) return <Tag color="warning">{t('Needs reconnecting')}</Tag>;
    return <Tag color="error">{t('Error')}</Tag>;
  };
  return (
    <div
      style={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'space-between',
        gap: 8,
        padding: '8px 12px',
        borderBottom: '1px solid #f0f0f0',
        flexWrap: 'wrap',
      }}
    >
      <Space wrap>
        <Select
          aria-label={t('Mailbox')}
          style={{ minWidth: 280 }}
          value={current ? String(current.id) : undefined}
          onChange={(v) => p.onAccount(v)}
          options={p.accounts.map((a) => ({
            value: String(a.id),
            label: (
              <span data-testid="account-option">
                {a.address} {statusTag(a)}
              </span>
            ),
          }))}
        />
        <Tooltip title={t('Check for new mail now')}>
          <Button icon={<SyncOutlined spin={p.syncing} />} onClick={p.onSync} disabled={!current}>
            {t('Sync now')}
          </Button>
        </Tooltip>
      </Space>
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={p.onConnect} loading={p.connecting}>
          {t(provider.connectLabel)}
        </Button>
        {current && (
          <Popconfirm
            title={t('Disconnect {{address}}?', { address: current.address })}
            description={
              <Space direction="vertical" size={4}>
                {t(provider.wording.disconnectNote)}
                <Checkbox checked={forgetLinks} onChange={(e) => setForgetLinks(e.target.checked)}>
                  {t("Also forget this mailbox's links to records")}
                </Checkbox>
              </Space>
            }
            okText={t('Disconnect')}
            okButtonProps={{ danger: true }}
            cancelText={t('Cancel')}
            onOpenChange={(open) => open && setForgetLinks(false)}
            onConfirm={() => p.onDisconnect(current, { forgetLinks })}
          >
            <Button danger type="text" icon={<DisconnectOutlined />}>
              {t('Disconnect')}
            </Button>
          </Popconfirm>
        )}
      </Space>
    </div>
  );
}
