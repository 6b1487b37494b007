import { QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Popover } from 'antd';
import { k, usePluginTranslation } from '../locale';

/** What the search box understands: typed as shown, explained in the user's language. */
const SYNTAX: Array<[string, string]> = [
  ['invoice march', k('All these words, in any order (the last may be unfinished)')],
  ['"annual report"', k('These words, in this order')],
  ['-newsletter', k('Without this word')],
  ['from:jan  to:eva  cc:"Jan Novák"', k('In the sender, the recipients or the copies')],
  ['subject:budget', k('In the subject')],
  ['has:attachment', k('With attachments')],
  ['is:unread  is:read  is:flagged', k('Unread, read or flagged')],
  ['after:2024-05-01  before:2024-06-01', k('Received from this day, or before it')],
];

export function SearchHelp() {
  const { t } = usePluginTranslation();
  const content = (
    <div style={{ maxWidth: 420 }} data-testid="search-help">
      <table style={{ borderCollapse: 'collapse' }}>
        <tbody>
          {SYNTAX.map(([example, meaning]) => (
            <tr key={example}>
              <td style={{ padding: '2px 12px 2px 0', whiteSpace: 'nowrap' }}>
                <code>{example}</code>
              </td>
              <td style={{ padding: '2px 0' }}>{t(meaning)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ marginTop: 8, color: '#8c8c8c' }}>
        {t('Capitals and accents do not matter: prilohy finds přílohy.')}
      </div>
    </div>
  );
  return (
    <Popover content={content} title={t('Search syntax')} trigger="click" placement="bottomLeft">
      <Button type="text" size="small" icon={<QuestionCircleOutlined />} aria-label={t('Search syntax')} />
    </Popover>
  );
}
