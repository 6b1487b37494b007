import { CheckOutlined, DeleteOutlined, MailOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, Segmented, Space, Switch, Tooltip } from 'antd';
import type { MailFolderView } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { MoveMenu } from './MoveMenu';
import { SearchHelp } from './SearchHelp';

export type QuickFilter = 'all' | 'unread' | 'flagged' | 'attachments';

interface Props {
  search: string;
  onSearch(value: string): void;
  filter: QuickFilter;
  onFilter(value: QuickFilter): void;
  threads: boolean;
  onThreads(value: boolean): void;
  selectedCount: number;
  allChecked: boolean;
  someChecked: boolean;
  onCheckAll(checked: boolean): void;
  folders: MailFolderView[];
  currentFolderId?: number | string;
  onBulk(action: 'markRead' | 'markUnread' | 'delete'): void;
  onMove(folder: MailFolderView): void;
  onRefresh(): void;
  refreshing: boolean;
}

/** Search, quick filters and the conversation toggle; bulk actions once messages are selected. */
export function ListToolbar(p: Props) {
  const { t } = usePluginTranslation();
  return (
    <div style={{ padding: 8, borderBottom: '1px solid #f0f0f0', display: 'flex', flexDirection: 'column', gap: 8 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
        <Input.Search
          allowClear
          placeholder={t('Search mail')}
          aria-label={t('Search mail')}
          defaultValue={p.search}
          onSearch={p.onSearch}
        />
        <SearchHelp />
      </div>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
        <Segmented
          size="small"
          value={p.filter}
          onChange={(v) => p.onFilter(v as QuickFilter)}
          options={[
            { value: 'all', label: t('All') },
            { value: 'unread', label: t('Unread') },
            { value: 'flagged', label: t('Flagged') },
            { value: 'attachments', label: t('Attachments') },
          ]}
        />
        <Space size={4}>
          <Switch size="small" checked={p.threads} onChange={p.onThreads} aria-label={t('Conversations')} />
          <span style={{ fontSize: 12 }}>{t('Conversations')}</span>
        </Space>
      </div>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 24 }}>
        <Checkbox
          checked={p.allChecked}
          indeterminate={!p.allChecked && p.someChecked}
          onChange={(e) => p.onCheckAll(e.target.checked)}
          aria-label={t('Select all on this page')}
        />
        {p.selectedCount > 0 ? (
          <Space size={4} wrap data-testid="bulk-actions">
            <span style={{ fontSize: 12 }}>{t('{{count}} selected', { count: p.selectedCount })}</span>
            <Button size="small" icon={<CheckOutlined />} onClick={() => p.onBulk('markRead')}>
              {t('Mark read')}
            </Button>
            <Button size="small" icon={<MailOutlined />} onClick={() => p.onBulk('markUnread')}>
              {t('Mark unread')}
            </Button>
            <MoveMenu size="small" folders={p.folders} currentFolderId={p.currentFolderId} onMove={p.onMove} />
            <Button size="small" danger icon={<DeleteOutlined />} onClick={() => p.onBulk('delete')}>
              {t('Delete')}
            </Button>
          </Space>
        ) : (
          <Tooltip title={t('Check for new mail')}>
            <Button
              size="small"
              type="text"
              icon={<ReloadOutlined spin={p.refreshing} />}
              onClick={p.onRefresh}
              aria-label={t('Check for new mail')}
            />
          </Tooltip>
        )}
      </div>
    </div>
  );
}
