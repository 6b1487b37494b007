import { Avatar, Typography } from 'antd';
import type { MailMessageView } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { addressFull, addressName, fullDate } from './format';
import { RecipientLine } from './RecipientLine';

/** Subject, sender, recipients and date of a message. */
export function MessageHeader({ message: m, compact }: { message: MailMessageView; compact?: boolean }) {
  const { t } = usePluginTranslation();
  const sender = m.from[0];
  return (
    <div>
      {!compact && (
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="reading-subject">
          {m.subject || t('(no subject)')}
        </Typography.Title>
      )}
      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
        <Avatar style={{ background: '#1677ff', flex: 'none' }}>
          {(sender ? addressName(sender) : '?').slice(0, 1).toUpperCase()}
        </Avatar>
        <div style={{ flex: 1, minWidth: 0 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <Typography.Text strong ellipsis data-testid="reading-from">
              {sender ? addressFull(sender) : t('(no sender)')}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
              {fullDate(m.date)}
            </Typography.Text>
          </div>
          <RecipientLine messageId={m.id} field="to" label={t('To:')} list={m.to} total={m.toTotal ?? m.to.length} />
          {m.cc.length > 0 && (
            <RecipientLine messageId={m.id} field="cc" label={t('Cc:')} list={m.cc} total={m.ccTotal ?? m.cc.length} />
          )}
        </div>
      </div>
    </div>
  );
}
