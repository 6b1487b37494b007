import { CloudServerOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { Alert, Button, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MailMessageListItem, MailServerSearchView } from '../../shared/mail-reading-types';
import { messagesApi } from '../api/messages-api';
import { announceMailChange } from '../hooks/mail-changes';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';
import { addressName, listDate } from './format';

type Id = number | string;

interface Props {
  accountId: Id;
  folderId: Id | undefined;
  /** What the search box holds; the panel shows only while there is one. */
  query: string;
  openId: Id | undefined;
  onOpen(message: MailMessageListItem): void;
}

/**
 * Under the mailbox's search results: "Search on the server" runs the same words as IMAP SEARCH over the whole
 * folder, beyond the synced window and through bodies not indexed yet, and lists what it found (now stored).
 */
export function ServerSearchPanel({ accountId, folderId, query, openId, onOpen }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<MailServerSearchView | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A new search or another folder starts over.
  useEffect(() => {
    setResult(null);
    setError(null);
  }, [accountId, folderId, query]);

  if (!query) return null;
  const run = async () => {
    setLoading(true);
    setError(null);
    try {
      setResult(await messagesApi.serverSearch(api, { accountId, folderId, query }));
      announceMailChange();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div data-testid="server-search" style={{ padding: '8px 12px', borderTop: '1px solid #f0f0f0' }}>
      {!result && (
        <Button block icon={<CloudServerOutlined />} loading={loading} onClick={run}>
          {t('Search on the server')}
        </Button>
      )}
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} message={error} />}
      {result && (
        <>
          <Typography.Text type="secondary" data-testid="server-search-summary">
            {result.found > result.messages.length
              ? t('The server found {{found}} messages; the newest {{shown}} are listed.', {
                  found: result.found,
                  shown: result.messages.length,
                })
              : t('The server found {{found}} messages.', { found: result.found })}
          </Typography.Text>
          <div role="list" style={{ marginTop: 4, maxHeight: '40vh', overflow: 'auto' }}>
            {result.messages.map((m) => (
              <div
                key={String(m.id)}
                role="listitem"
                data-testid="server-search-row"
                tabIndex={0}
                aria-current={String(openId) === String(m.id) ? 'true' : undefined}
                onClick={() => onOpen(m)}
                onKeyDown={(e) => e.key === 'Enter' && onOpen(m)}
                style={{
                  padding: '6px 4px',
                  cursor: 'pointer',
                  borderBottom: '1px solid #f5f5f5',
                  background: String(openId) === String(m.id) ? '#e6f4ff' : undefined,
                }}
              >
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Typography.Text ellipsis strong={!m.read}>
                    {m.from.length ? m.from.map(addressName).join(', ') : t('(no sender)')}
                  </Typography.Text>
                  <span style={{ whiteSpace: 'nowrap', fontSize: 12, color: '#8c8c8c' }}>{listDate(m.date)}</span>
                </div>
                <Typography.Text ellipsis style={{ display: 'block' }}>
                  {m.subject || t('(no subject)')}
                </Typography.Text>
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
