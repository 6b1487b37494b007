import { MailOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { MAILBOX_ROUTE_PATH } from '../../shared/constants';
import { messagesApi } from '../api/messages-api';
import { onMailChange } from '../hooks/mail-changes';
import { useSyncStatus } from '../hooks/useSyncStatus';
import { usePluginTranslation } from '../locale';

/** Checked less often than the mailbox page, which tells this button about changes as it sees them. */
const POLL_MS = 15_000;

/** "Email" in NocoBase's top bar, for every signed-in user, with the number of unread messages in their Inboxes. */
export function MailTopBarButton() {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const navigate = useNavigate();
  const sync = useSyncStatus(POLL_MS);
  const unread = useRequest(
    async () =>
      (await messagesApi.folders(api)).filter((f) => f.role === 'inbox').reduce((sum, f) => sum + f.unreadCount, 0),
    { refreshDeps: [sync.changeKey] },
  );
  const refreshUnread = unread.refresh;
  useEffect(() => onMailChange(refreshUnread), [refreshUnread]);
  const count = unread.data ?? 0;
  const label = count ? t('Email ({{count}} unread)', { count }) : t('Email');
  return (
    <Tooltip title={label}>
      <Button aria-label={label} data-testid="mail-top-bar" onClick={() => navigate(`/${MAILBOX_ROUTE_PATH}`)}>
        <Badge count={count} size="small" overflowCount={999} data-testid="mail-unread-badge">
          <MailOutlined />
        </Badge>
      </Button>
    </Tooltip>
  );
}
