import { PaperClipOutlined, TeamOutlined } from '@ant-design/icons';
import { Tag, Typography } from 'antd';
import { usePluginTranslation } from '../../locale';
import { addressName, listDate } from '../../mailbox/format';
import type { EmailsBlockRow } from './emails-block-props';

/** One message in the block: from, subject, snippet, date, attachment icon, and whose mailbox when not the viewer's. */
export function EmailRow({ row, onOpen }: { row: EmailsBlockRow; onOpen(): void }) {
  const { t } = usePluginTranslation();
  const who = row.from.length ? row.from.map(addressName).join(', ') : t('(no sender)');
  return (
    <div
      role="listitem"
      data-testid="emails-block-row"
      data-level={row.level}
      data-own={row.own ? 'true' : 'false'}
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => e.key === 'Enter' && onOpen()}
      style={{ padding: '8px 12px', borderBottom: '1px solid #f0f0f0', cursor: 'pointer' }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <Typography.Text ellipsis strong>
          {who}
        </Typography.Text>
        <span style={{ whiteSpace: 'nowrap', fontSize: 12, color: '#8c8c8c' }}>
          {row.hasAttachments && <PaperClipOutlined aria-label={t('Has attachments')} style={{ marginRight: 6 }} />}
          {listDate(row.date)}
        </span>
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <Typography.Text ellipsis>
          {row.level === 'metadata' ? (
            <Typography.Text type="secondary" italic>
              {t('(subject not shared)')}
            </Typography.Text>
          ) : (
            row.subject || t('(no subject)')
          )}
        </Typography.Text>
        {row.mailbox && (
          <Tag icon={<TeamOutlined />} data-testid="emails-block-row-mailbox" style={{ marginRight: 0 }}>
            {t('Shared by {{mailbox}}', { mailbox: row.mailbox })}
          </Tag>
        )}
      </div>
      {row.snippet && (
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
          {row.snippet}
        </Typography.Text>
      )}
    </div>
  );
}
