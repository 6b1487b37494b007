import { PaperClipOutlined, TeamOutlined } from '@ant-design/icons';
import type { CSSProperties } from 'react';
import { usePluginTranslation } from '../../locale';
import { addressName, listDate } from '../../mailbox/format';
import type { EmailColumn, EmailsBlockRow } from './emails-block-props';

/** Plain CSS ellipsis: antd's measured ellipsis costs a layout pass per row, and a page may hold 100 rows. */
const clip: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 };
const line: CSSProperties = { display: 'flex', justifyContent: 'space-between', gap: 8 };
const faint: CSSProperties = { fontSize: 12, color: '#8c8c8c' };

interface Props {
  row: EmailsBlockRow;
  /** The parts shown besides the subject (the block's "Columns" setting). */
  columns: Set<EmailColumn>;
  onOpen(): void;
}

/**
 * One message in the block: the subject, and of from, to, snippet, date, attachment icon and whose mailbox (on a
 * colleague's shared mail) the ones the block shows.
 */
export function EmailRow({ row, columns, onOpen }: Props) {
  const { t } = usePluginTranslation();
  const who = row.from.length ? row.from.map(addressName).join(', ') : t('(no sender)');
  const to = row.to.map(addressName).join(', ');
  const owner = row.mailboxOwnerName || row.mailbox;
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
      {(columns.has('from') || columns.has('date') || columns.has('attachments')) && (
        <div style={line}>
          <strong style={clip} data-testid="emails-block-row-from">
            {columns.has('from') ? who : ''}
          </strong>
          <span style={{ ...faint, whiteSpace: 'nowrap' }}>
            {columns.has('attachments') && row.hasAttachments && (
              <PaperClipOutlined aria-label={t('Has attachments')} style={{ marginRight: 6 }} />
            )}
            {columns.has('date') && <span data-testid="emails-block-row-date">{listDate(row.date)}</span>}
          </span>
        </div>
      )}
      {columns.has('to') && (
        <div style={{ ...clip, ...faint }} data-testid="emails-block-row-to">
          {t('To: {{list}}', { list: to || t('(no recipients)') })}
        </div>
      )}
      <div style={line}>
        {row.level === 'metadata' ? (
          <em style={{ ...clip, color: '#8c8c8c' }}>{t('(subject not shared)')}</em>
        ) : (
          <span style={clip}>{row.subject || t('(no subject)')}</span>
        )}
        {columns.has('mailbox') && owner && (
          <span
            data-testid="emails-block-row-mailbox"
            title={row.mailbox}
            style={{ whiteSpace: 'nowrap', fontSize: 12, color: '#595959', background: '#fafafa', padding: '0 6px' }}
          >
            <TeamOutlined style={{ marginRight: 4 }} />
            {t('Shared by {{mailbox}}', { mailbox: owner })}
          </span>
        )}
      </div>
      {columns.has('snippet') && row.snippet && (
        <div style={{ ...clip, ...faint }} data-testid="emails-block-row-snippet">
          {row.snippet}
        </div>
      )}
    </div>
  );
}
