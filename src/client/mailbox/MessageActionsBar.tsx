import {
  DeleteOutlined,
  FlagOutlined,
  FlagFilled,
  ForwardOutlined,
  MailOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import type { MailFolderView, MailMessageView } from '../../shared/mail-reading-types';
import type { ComposeMode } from '../../shared/mail-sending';
import { usePluginTranslation } from '../locale';
import { MoveMenu } from './MoveMenu';

interface Props {
  message: MailMessageView;
  folders: MailFolderView[];
  onCompose(mode: ComposeMode): void;
  onMove(folder: MailFolderView): void;
  onDelete(): void;
  onMarkUnread(): void;
  onToggleFlag(): void;
}

/** Reply, reply all, forward, move, delete, mark unread and flag for the open message. */
export function MessageActionsBar({
  message,
  folders,
  onCompose,
  onMove,
  onDelete,
  onMarkUnread,
  onToggleFlag,
}: Props) {
  const { t } = usePluginTranslation();
  return (
    <Space wrap size={4}>
      <Button icon={<RollbackOutlined />} onClick={() => onCompose('reply')}>
        {t('Reply')}
      </Button>
      <Button onClick={() => onCompose('replyAll')}>{t('Reply all')}</Button>
      <Button icon={<ForwardOutlined />} onClick={() => onCompose('forward')}>
        {t('Forward')}
      </Button>
      <MoveMenu folders={folders} currentFolderId={message.folderId} onMove={onMove} />
      <Tooltip title={t('Delete')}>
        <Button danger icon={<DeleteOutlined />} onClick={onDelete} aria-label={t('Delete')} />
      </Tooltip>
      <Tooltip title={t('Mark unread')}>
        <Button icon={<MailOutlined />} onClick={onMarkUnread} aria-label={t('Mark unread')} />
      </Tooltip>
      <Tooltip title={message.flagged ? t('Remove flag') : t('Flag')}>
        <Button
          icon={message.flagged ? <FlagFilled style={{ color: '#cf1322' }} /> : <FlagOutlined />}
          onClick={onToggleFlag}
          aria-label={message.flagged ? t('Remove flag') : t('Flag')}
          aria-pressed={message.flagged}
        />
      </Tooltip>
    </Space>
  );
}
