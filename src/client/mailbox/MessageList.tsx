import { Alert, Button, Empty, Pagination, Skeleton } from 'antd';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { pagerTotal } from './list-pager';
import { MessageRow } from './MessageRow';

interface Props {
  rows: MailMessageListItem[] | undefined;
  count: number;
  /** More than `count` match (a search's total is counted up to a cap): the pager goes on while `hasMore`. */
  countCapped?: boolean;
  hasMore?: boolean;
  page: number;
  pageSize: number;
  onPage(page: number): void;
  loading: boolean;
  error: string | null;
  onRetry(): void;
  filtered: boolean;
  showRecipient: boolean;
  openId: number | string | undefined;
  checked: Set<string>;
  onOpen(message: MailMessageListItem): void;
  onCheck(message: MailMessageListItem, checked: boolean): void;
}

/** One server page of messages (50 by default), so a folder of 10,000 costs the same as one of 50. */
export function MessageList(p: Props) {
  const { t } = usePluginTranslation();
  if (p.error && !p.rows) {
    return (
      <Alert
        style={{ margin: 12 }}
        type="error"
        showIcon
        message={t('The messages could not be loaded')}
        description={p.error}
        action={
          <Button size="small" onClick={p.onRetry}>
            {t('Try again')}
          </Button>
        }
      />
    );
  }
  if (!p.rows) return <Skeleton active style={{ padding: 12 }} />;
  if (!p.rows.length) {
    return (
      <Empty
        style={{ marginTop: 48 }}
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={p.filtered ? t('No messages match.') : t('This folder is empty.')}
      />
    );
  }
  const first = (p.page - 1) * p.pageSize + 1;
  const last = first + p.rows.length - 1;
  const total = pagerTotal({ count: p.count, countCapped: p.countCapped, hasMore: p.hasMore, last });
  return (
    <>
      <div role="list" aria-label={t('Messages')} aria-busy={p.loading} style={{ flex: 1, overflow: 'auto' }}>
        {p.rows.map((m) => (
          <MessageRow
            key={m.id}
            message={m}
            showRecipient={p.showRecipient}
            open={String(m.id) === String(p.openId)}
            checked={p.checked.has(String(m.id))}
            onOpen={() => p.onOpen(m)}
            onCheck={(checked) => p.onCheck(m, checked)}
          />
        ))}
      </div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '6px 12px',
          borderTop: '1px solid #f0f0f0',
          fontSize: 12,
        }}
      >
        <span data-testid="list-range">
          {p.countCapped
            ? t('{{first}}–{{last}} of more than {{count}}', { first, last, count: p.count })
            : t('{{first}}–{{last}} of {{count}}', { first, last, count: p.count })}
        </span>
        <Pagination
          simple
          size="small"
          current={p.page}
          pageSize={p.pageSize}
          total={total}
          onChange={p.onPage}
          showSizeChanger={false}
        />
      </div>
    </>
  );
}
