import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { Empty, Skeleton, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MailFolderView, MailMessageListItem, MailMessageView } from '../../shared/mail-reading-types';
import { MESSAGE_PAGE_SIZE_DEFAULT } from '../../shared/mail-reading';
import { ComposeMode, OutboxState } from '../../shared/mail-sending';
import type { MailAccountView } from '../../shared/types';
import { composeApi } from '../api/compose-api';
import { sharingApi } from '../api/sharing-api';
import type { MessageQuery } from '../api/messages-api';
import { announceMailChange } from '../hooks/mail-changes';
import { useErrorText } from '../hooks/useErrorText';
import { useFolders } from '../hooks/useFolders';
import { useMessageActions } from '../hooks/useMessageActions';
import { useMessageList } from '../hooks/useMessageList';
import { usePluginTranslation } from '../locale';
import type { ComposeRequest } from './compose/compose-request';
import { ConversationPane } from './ConversationPane';
import { FolderPane } from './FolderPane';
import { ListToolbar, type QuickFilter } from './ListToolbar';
import { MessageDetail } from './MessageDetail';
import { MessageList } from './MessageList';
import { OutboxPane } from './OutboxPane';
import { ServerSearchPanel } from './ServerSearchPanel';

type Id = number | string;

interface Props {
  account: MailAccountView;
  changeKey: string;
  onCompose(request: ComposeRequest): void;
  /** Bumped by the page after a send, so lists show the sent message at once. */
  refreshToken: number;
}

/** One mailbox: folders, the message list and the reading pane side by side. */
export function MailboxView({ account, changeKey, onCompose, refreshToken }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const key = `${changeKey}|${refreshToken}`;
  const folders = useFolders(account.id, key);
  const [folderId, setFolderId] = useState<Id>();
  const [outboxOpen, setOutboxOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<QuickFilter>('all');
  const [threads, setThreads] = useState(false);
  const [page, setPage] = useState(1);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<MailMessageListItem>();

  const folderList = useMemo(() => folders.data ?? [], [folders.data]);
  const folder = folderList.find((f) => String(f.id) === String(folderId));

  // Start in the Inbox; fall back to it when the open folder disappears.
  useEffect(() => {
    if (!folders.data?.length || folders.data.some((f) => String(f.id) === String(folderId))) return;
    setFolderId((folders.data.find((f) => f.role === 'inbox') ?? folders.data[0]).id);
  }, [folders.data, folderId]);

  const resetView = () => {
    setPage(1);
    setChecked(new Set());
    setOpen(undefined);
  };

  const query: MessageQuery | null =
    folderId === undefined || outboxOpen
      ? null
      : {
          accountId: account.id,
          folderId,
          q: search || undefined,
          unread: filter === 'unread' || undefined,
          flagged: filter === 'flagged' || undefined,
          hasAttachments: filter === 'attachments' || undefined,
          threads: threads || undefined,
          page,
          pageSize: MESSAGE_PAGE_SIZE_DEFAULT,
        };
  const list = useMessageList(query, key);
  const outbox = useRequest(
    () => composeApi.outbox(api, [OutboxState.failed, OutboxState.queued, OutboxState.sending, OutboxState.draft]),
    { refreshDeps: [key] },
  );
  const outboxItems = (outbox.data?.rows ?? []).filter((i) => String(i.accountId) === String(account.id));
  // The badge counts what still has to go out; drafts wait for their writer.
  const waiting = outboxItems.filter((i) => i.state !== OutboxState.draft).length;

  const refreshAll = useCallback(() => {
    list.refresh();
    folders.refresh();
  }, [list, folders]);
  const actions = useMessageActions(refreshAll);
  const rows = list.data?.rows;

  const onOpened = useCallback(() => {
    // The server marked it read; show that at once rather than at the next change signal.
    if (open && list.data)
      list.mutate({
        ...list.data,
        rows: list.data.rows.map((r) =>
          String(r.id) === String(open.id) ? { ...r, read: true, threadUnreadCount: 0 } : r,
        ),
      });
    if (open && !open.read) {
      folders.refresh();
      announceMailChange();
    }
  }, [open, list, folders]);

  const compose = (mode: ComposeMode, source: MailMessageView) => onCompose({ mode, accountId: account.id, source });
  const gone = () => {
    setOpen(undefined);
    refreshAll();
  };
  const ids = [...checked];
  const pageIds = (rows ?? []).map((r) => String(r.id));

  if (folders.error && !folders.data) {
    return <Empty style={{ marginTop: 64 }} description={errorText(folders.error)} />;
  }
  if (!folders.data) return <Skeleton active style={{ padding: 24 }} />;
  if (!folders.data.length)
    return (
      <Empty
        style={{ marginTop: 64 }}
        description={t('Your folders appear here as soon as the first sync has read them.')}
      />
    );

  return (
    <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
      <nav aria-label={t('Folders')} style={{ width: 240, borderRight: '1px solid #f0f0f0', flex: 'none' }}>
        <FolderPane
          folders={folderList}
          selectedId={folderId}
          onSelect={(f: MailFolderView) => {
            setOutboxOpen(false);
            setFolderId(f.id);
            resetView();
          }}
          onCompose={() => onCompose({ mode: 'new', accountId: account.id })}
          outboxCount={waiting}
          draftCount={outboxItems.length - waiting}
          outboxSelected={outboxOpen}
          onTogglePrivate={async (f: MailFolderView) => {
            try {
              await sharingApi.setFolderPrivate(api, f.id, !f.private);
              folders.refresh();
            } catch (err) {
              message.error(errorText(err));
            }
          }}
          onOutbox={() => {
            setOutboxOpen(true);
            resetView();
          }}
        />
      </nav>
      <section
        aria-label={t('Messages')}
        style={{
          width: 420,
          borderRight: '1px solid #f0f0f0',
          display: 'flex',
          flexDirection: 'column',
          flex: 'none',
          minHeight: 0,
        }}
      >
        {outboxOpen ? (
          <OutboxPane
            items={outboxItems}
            onChanged={outbox.refresh}
            onEdit={(draft) => onCompose({ mode: draft.mode, accountId: draft.accountId, draft })}
          />
        ) : (
          <>
            <ListToolbar
              search={search}
              onSearch={(v) => {
                setSearch(v.trim());
                resetView();
              }}
              filter={filter}
              onFilter={(v) => {
                setFilter(v);
                resetView();
              }}
              threads={threads}
              onThreads={(v) => {
                setThreads(v);
                resetView();
              }}
              selectedCount={checked.size}
              allChecked={pageIds.length > 0 && pageIds.every((id) => checked.has(id))}
              someChecked={pageIds.some((id) => checked.has(id))}
              onCheckAll={(all) => setChecked(all ? new Set(pageIds) : new Set())}
              folders={folderList}
              currentFolderId={folderId}
              onBulk={async (action) => {
                if (await actions.bulk(action, ids)) {
                  setChecked(new Set());
                  if (action === 'delete' && open && ids.includes(String(open.id))) setOpen(undefined);
                }
              }}
              onMove={async (target) => {
                if (await actions.move(ids, target.id, target.name)) {
                  setChecked(new Set());
                  if (open && ids.includes(String(open.id))) setOpen(undefined);
                }
              }}
              onRefresh={refreshAll}
              refreshing={list.loading}
            />
            <MessageList
              rows={rows}
              count={list.data?.count ?? 0}
              countCapped={list.data?.countCapped}
              hasMore={list.data?.hasMore}
              page={page}
              pageSize={MESSAGE_PAGE_SIZE_DEFAULT}
              onPage={(p) => {
                setPage(p);
                setChecked(new Set());
              }}
              loading={list.loading}
              error={list.error ? errorText(list.error) : null}
              onRetry={list.refresh}
              filtered={!!search || filter !== 'all'}
              showRecipient={folder?.role === 'sent' || folder?.role === 'drafts'}
              openId={open?.id}
              checked={checked}
              onOpen={setOpen}
              onCheck={(m, on) =>
                setChecked((prev) => {
                  const next = new Set(prev);
                  if (on) next.add(String(m.id));
                  else next.delete(String(m.id));
                  return next;
                })
              }
            />
            <ServerSearchPanel
              accountId={account.id}
              folderId={folderId}
              query={search}
              openId={open?.id}
              onOpen={setOpen}
            />
          </>
        )}
      </section>
      <section
        aria-label={t('Reading pane')}
        style={{
          flex: 1,
          minWidth: 0,
          padding: 16,
          display: 'flex',
          flexDirection: 'column',
          minHeight: 0,
          overflow: 'auto',
        }}
      >
        {!open ? (
          <Empty
            style={{ marginTop: 96 }}
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('Select a message to read it.')}
          />
        ) : threads ? (
          <ConversationPane
            row={open}
            changeKey={key}
            folders={folderList}
            actions={actions}
            onChanged={onOpened}
            onCompose={compose}
            onGone={gone}
          />
        ) : (
          <MessageDetail
            id={open.id}
            folders={folderList}
            actions={actions}
            onChanged={onOpened}
            onCompose={compose}
            onGone={gone}
          />
        )}
      </section>
    </div>
  );
}
