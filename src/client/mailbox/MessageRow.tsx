import { FlagFilled, PaperClipOutlined } from '@ant-design/icons';
import { Checkbox, Typography } from 'antd';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { addressName, listDate } from './format';
import { Highlighted } from './Highlighted';

interface Props {
  message: MailMessageListItem;
  /** In a Sent or Drafts folder the other side is the recipient. */
  showRecipient: boolean;
  open: boolean;
  checked: boolean;
  onOpen(): void;
  onCheck(checked: boolean): void;
}

/** One list row: who, subject, snippet, date, attachment and flag; unread rows in bold with a blue bar. */
export function MessageRow({ message: m, showRecipient, open, checked, onOpen, onCheck }: Props) {
  const { t } = usePluginTranslation();
  const people = showRecipient ? m.to : m.from;
  const who = people.length ? people.map(addressName).join(', ') : t('(no sender)');
  const unread = !m.read || (m.threadUnreadCount ?? 0) > 0;
  return (
    <div
      role="listitem"
      data-testid="message-row"
      data-unread={unread ? 'true' : 'false'}
      aria-current={open ? 'true' : undefined}
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => e.key === 'Enter' && onOpen()}
      style={{
        display: 'flex',
        gap: 8,
        padding: '8px 12px 8px 8px',
        borderBottom: '1px solid #f0f0f0',
        borderLeft: `3px solid ${unread ? '#1677ff' : 'transparent'}`,
        background: open ? '#e6f4ff' : checked ? '#f5f5f5' : undefined,
        cursor: 'pointer',
        fontWeight: unread ? 600 : 400,
      }}
    >
      <Checkbox
        checked={checked}
        aria-label={t('Select')}
        onClick={(e) => e.stopPropagation()}
        onChange={(e) => onCheck(e.target.checked)}
      />
      <div style={{ flex: 1, minWidth: 0 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
          <Typography.Text ellipsis strong={unread} style={{ fontWeight: 'inherit' }}>
            {showRecipient && people.length ? `${t('To:')} ${who}` : who}
            {(m.threadCount ?? 1) > 1 && (
              <span data-testid="thread-count" style={{ color: '#8c8c8c', marginLeft: 6 }}>
                {m.threadCount}
              </span>
            )}
          </Typography.Text>
          <span style={{ whiteSpace: 'nowrap', fontSize: 12, color: unread ? '#1677ff' : '#8c8c8c' }}>
            {listDate(m.date)}
          </span>
        </div>
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
          <Typography.Text ellipsis style={{ fontWeight: 'inherit', color: unread ? '#1677ff' : undefined }}>
            {m.subject ? <Highlighted text={m.subject} ranges={m.highlights?.subject} /> : t('(no subject)')}
          </Typography.Text>
          <span style={{ whiteSpace: 'nowrap', color: '#8c8c8c' }}>
            {m.hasAttachments && <PaperClipOutlined aria-label={t('Has attachments')} />}
            {m.flagged && <FlagFilled aria-label={t('Flagged')} style={{ color: '#cf1322', marginLeft: 4 }} />}
          </span>
        </div>
        <Typography.Text type="secondary" ellipsis style={{ fontWeight: 400, fontSize: 12, display: 'block' }}>
          <Highlighted text={m.snippet} ranges={m.highlights?.snippet} />
        </Typography.Text>
      </div>
    </div>
  );
}
