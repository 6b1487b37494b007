import { Alert, Collapse, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MailFolderView, MailMessageListItem, MailMessageView } from '../../shared/mail-reading-types';
import type { ComposeMode } from '../../shared/mail-sending';
import { useErrorText } from '../hooks/useErrorText';
import type { useMessageActions } from '../hooks/useMessageActions';
import { useThread } from '../hooks/useThread';
import { usePluginTranslation } from '../locale';
import { addressName, listDate } from './format';
import { MessageDetail } from './MessageDetail';

interface Props {
  row: MailMessageListItem;
  changeKey: string;
  folders: MailFolderView[];
  actions: ReturnType<typeof useMessageActions>;
  onChanged(): void;
  onCompose(mode: ComposeMode, message: MailMessageView): void;
  onGone(): void;
}

/** A conversation: its messages oldest first, the newest open, earlier ones a click away. */
export function ConversationPane({ row, changeKey, folders, actions, onChanged, onCompose, onGone }: Props) {
  const { t } = usePluginTranslation();
  const errorText = useErrorText();
  const thread = useThread(row, changeKey);
  const members = thread.data;
  const [open, setOpen] = useState<string[]>([]);
  const newest = members?.[members.length - 1];
  useEffect(() => {
    if (newest) setOpen((keys) => (keys.includes(String(newest.id)) ? keys : [...keys, String(newest.id)]));
  }, [newest]);
  if (thread.error && !members)
    return (
      <Alert
        type="error"
        showIcon
        message={t('The conversation could not be loaded')}
        description={errorText(thread.error)}
      />
    );
  if (!members) return <Skeleton active />;
  return (
    <div data-testid="conversation" style={{ overflow: 'auto', flex: 1 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="reading-subject">
        {row.subject || t('(no subject)')}
      </Typography.Title>
      <Typography.Text type="secondary">
        {t('{{count}} messages in this conversation', { count: members.length })}
      </Typography.Text>
      <Collapse
        style={{ marginTop: 12 }}
        activeKey={open}
        onChange={(keys) => setOpen(Array.isArray(keys) ? keys.map(String) : [String(keys)])}
        items={members.map((m) => ({
          key: String(m.id),
          label: (
            <span
              data-testid="conversation-item"
              style={{ display: 'flex', justifyContent: 'space-between', gap: 8, fontWeight: m.read ? 400 : 600 }}
            >
              <span>
                {m.from.map(addressName).join(', ') || t('(no sender)')} —{' '}
                <Typography.Text type="secondary">{m.snippet}</Typography.Text>
              </span>
              <span style={{ whiteSpace: 'nowrap' }}>{listDate(m.date)}</span>
            </span>
          ),
          // Rendered when first opened (Collapse is lazy), so only opened messages are fetched and marked read.
          children: (
            <MessageDetail
              id={m.id}
              folders={folders}
              actions={actions}
              onChanged={onChanged}
              onCompose={onCompose}
              onGone={onGone}
              inConversation
            />
          ),
        }))}
      />
    </div>
  );
}
