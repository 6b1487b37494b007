import {
  DeleteOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  FileTextOutlined,
  FolderOutlined,
  InboxOutlined,
  LockOutlined,
  SendOutlined,
  ContainerOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Badge, Button, Dropdown, Tree } from 'antd';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import type { MailFolderView } from '../../shared/mail-reading-types';
import { usePluginTranslation } from '../locale';
import { folderName } from './folder-name';
import { folderTree, type FolderNode } from './folder-tree';

const ICONS: Record<string, ReactNode> = {
  inbox: <InboxOutlined />,
  drafts: <FileTextOutlined />,
  sent: <SendOutlined />,
  trash: <DeleteOutlined />,
  junk: <ExclamationCircleOutlined />,
  archive: <ContainerOutlined />,
};

interface TreeNode {
  key: string;
  title: ReactNode;
  children: TreeNode[];
}

interface Props {
  folders: MailFolderView[];
  selectedId: number | string | undefined;
  onSelect(folder: MailFolderView): void;
  onCompose(): void;
  /** Messages still to go out (queued, sending, failed). */
  outboxCount: number;
  /** Drafts saved here, which the Outbox pane lists for editing. */
  draftCount: number;
  outboxSelected: boolean;
  onOutbox(): void;
  /** The owner's "Private folder" switch (right-click a folder): its mail is never shared on records. */
  onTogglePrivate(folder: MailFolderView): void;
}

/** New message, then the folder tree with unread counts (Inbox first, then the special folders, then the rest). */
export function FolderPane({
  folders,
  selectedId,
  onSelect,
  onCompose,
  outboxCount,
  draftCount,
  outboxSelected,
  onOutbox,
  onTogglePrivate,
}: Props) {
  const { t } = usePluginTranslation();
  const byKey = useMemo(() => new Map(folders.map((f) => [String(f.id), f])), [folders]);
  const treeData = useMemo(() => {
    const toData = (node: FolderNode): TreeNode => {
      const f = node.folder;
      const name = folderName(f, t);
      // Unread for most folders; Drafts counts what is in it, as Outlook does.
      const count = f.role === 'drafts' ? f.totalCount : f.unreadCount;
      return {
        key: String(f.id),
        title: (
          <Dropdown
            trigger={['contextMenu']}
            menu={{
              items: [
                {
                  key: 'private',
                  icon: <LockOutlined />,
                  label: f.private ? t('Private folder: on (never shared)') : t('Private folder: off'),
                  onClick: () => onTogglePrivate(f),
                },
              ],
            }}
          >
            <span
              className="mailbridge-folder"
              data-testid="folder"
              data-folder-role={f.role ?? ''}
              style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}
            >
              <span
                style={{
                  fontWeight: f.unreadCount && f.role !== 'drafts' ? 600 : undefined,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                }}
              >
                <span style={{ marginRight: 8, color: '#595959' }}>{ICONS[f.role ?? ''] ?? <FolderOutlined />}</span>
                {name}
                {f.private && (
                  <LockOutlined
                    data-testid="folder-private"
                    title={t('Private folder: its mail is never shared on records.')}
                    style={{ marginLeft: 6, color: '#8c8c8c' }}
                  />
                )}
                {f.syncError && (
                  <WarningOutlined
                    data-testid="folder-sync-error"
                    title={t('The mail server refused this folder; what was synced before is shown. {{reason}}', {
                      reason: f.syncError,
                    })}
                    style={{ marginLeft: 6, color: '#faad14' }}
                  />
                )}
              </span>
              {count > 0 && (
                <span
                  data-testid="folder-count"
                  style={{ color: f.role === 'drafts' ? '#8c8c8c' : '#1677ff', fontWeight: 600 }}
                >
                  {count}
                </span>
              )}
            </span>
          </Dropdown>
        ),
        children: node.children.map(toData),
      };
    };
    return folderTree(folders).map(toData);
  }, [folders, t, onTogglePrivate]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12, padding: 12, height: '100%', overflow: 'auto' }}>
      <Button type="primary" icon={<EditOutlined />} onClick={onCompose} block>
        {t('New message')}
      </Button>
      <Tree
        blockNode
        defaultExpandAll
        selectedKeys={outboxSelected || selectedId === undefined ? [] : [String(selectedId)]}
        treeData={treeData}
        onSelect={(keys) => {
          const folder = keys.length ? byKey.get(String(keys[0])) : undefined;
          if (folder) onSelect(folder);
        }}
      />
      {(outboxCount > 0 || draftCount > 0) && (
        <Button
          type={outboxSelected ? 'primary' : 'text'}
          ghost={outboxSelected}
          danger={outboxCount > 0}
          onClick={onOutbox}
          style={{ textAlign: 'left' }}
        >
          <Badge count={outboxCount} size="small" offset={[10, 0]}>
            {t('Outbox')}
          </Badge>
        </Button>
      )}
    </div>
  );
}
