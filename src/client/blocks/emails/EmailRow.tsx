import { PaperClipOutlined, TeamOutlined } from '@ant-design/icons';
import type { CSSProperties } from 'react';
import { usePluginTranslation } from '../../locale';
import { addressName, listDate } from '../../mailbox/format';
import type { EmailsBlockRow } from './emails-block-props';

/** Plain CSS ellipsis: antd's measured ellipsis costs a layout pass per row, and a page may hold 100 rows. */
const clip: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 };
const line: CSSProperties = { display: 'flex', justifyContent: 'space-between', gap: 8 };

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
      <div style={line}>
        <strong style={clip}>{who}</strong>
        <span style={{ whiteSpace: 'nowrap', fontSize: 12, color: '#8c8c8c' }}>
          {row.hasAttachments && <PaperClipOutlined aria-label={t('Has attachments')} style={{ marginRight: 6 }} />}
          {listDate(row.date)}
        </span>
      </div>
      <div style={line}>
        {row.level === 'metadata' ? (
          <em style={{ ...clip, color: '#8c8c8c' }}>{t('(subject not shared)')}</em>
        ) : (
          <span style={clip}>{row.subject || t('(no subject)')}</span>
        )}
        {row.mailbox && (
          <span
            data-testid="emails-block-row-mailbox"
            style={{ whiteSpace: 'nowrap', fontSize: 12, color: '#595959', background: '#fafafa', padding: '0 6px' }}
          >
            <TeamOutlined style={{ marginRight: 4 }} />
            {t('Shared by {{mailbox}}', { mailbox: row.mailbox })}
          </span>
        )}
      </div>
      {row.snippet && <div style={{ ...clip, fontSize: 12, color: '#8c8c8c' }}>{row.snippet}</div>}
    </div>
  );
}
