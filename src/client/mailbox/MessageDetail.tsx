import { Alert, Button, Skeleton } from 'antd';
import type { MailFolderView, MailMessageView } from '../../shared/mail-reading-types';
import type { ComposeMode } from '../../shared/mail-sending';
import { useErrorText } from '../hooks/useErrorText';
import { useMessage } from '../hooks/useMessage';
import type { useMessageActions } from '../hooks/useMessageActions';
import { usePluginTranslation } from '../locale';
import { AttachmentList } from './AttachmentList';
import { MessageLinks } from './links/MessageLinks';
import { MailBody } from './MailBody';
import { MessageActionsBar } from './MessageActionsBar';
import { MessageHeader } from './MessageHeader';

interface Props {
  id: number | string;
  folders: MailFolderView[];
  actions: ReturnType<typeof useMessageActions>;
  /** The message was opened (and so marked read) or changed: lists and counts should follow. */
  onChanged(): void;
  onCompose(mode: ComposeMode, message: MailMessageView): void;
  /** The message left this view (moved or deleted). */
  onGone(): void;
  inConversation?: boolean;
}

/** One message: headers, actions, the records it is linked to, the sandboxed body and its attachments. */
export function MessageDetail({ id, folders, actions, onChanged, onCompose, onGone, inConversation }: Props) {
  const { t } = usePluginTranslation();
  const errorText = useErrorText();
  const request = useMessage(id, onChanged);
  const m = request.data;
  if (request.error && !m) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('The message could not be opened')}
        description={errorText(request.error)}
        action={
          <Button size="small" onClick={request.refresh}>
            {t('Try again')}
          </Button>
        }
      />
    );
  }
  if (!m || String(m.id) !== String(id)) return <Skeleton active />;
  const ids = [m.id];
  return (
    <div
      style={{ display: 'flex', flexDirection: 'column', gap: 12, flex: 1, minHeight: 0 }}
      data-testid="message-detail"
      data-message-id={m.id}
    >
      <MessageHeader message={m} compact={inConversation} />
      <MessageActionsBar
        message={m}
        folders={folders}
        onCompose={(mode) => onCompose(mode, m)}
        onMove={async (folder) => (await actions.move(ids, folder.id, folder.name)) && onGone()}
        onDelete={async () => (await actions.bulk('delete', ids)) && onGone()}
        onMarkUnread={async () => {
          if (await actions.bulk('markUnread', ids)) request.mutate({ ...m, read: false });
        }}
        onToggleFlag={async () => {
          if (await actions.bulk(m.flagged ? 'unflag' : 'flag', ids)) request.mutate({ ...m, flagged: !m.flagged });
        }}
      />
      <MessageLinks messageId={m.id} />
      <AttachmentList messageId={m.id} attachments={m.attachments} />
      <MailBody message={m} height={inConversation ? 320 : undefined} />
    </div>
  );
}
