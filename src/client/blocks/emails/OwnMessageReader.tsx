import { useState } from 'react';
import { useFolders } from '../../hooks/useFolders';
import { useMailAccounts } from '../../hooks/useMailAccounts';
import { useMessageActions } from '../../hooks/useMessageActions';
import type { ComposeRequest } from '../../mailbox/compose/compose-request';
import { ComposeDrawer } from '../../mailbox/compose/ComposeDrawer';
import { MessageDetail } from '../../mailbox/MessageDetail';
import type { EmailsBlockRow } from './emails-block-props';

interface Props {
  row: EmailsBlockRow;
  /** The record whose block it was opened from: a reply or forward written here is linked to it. */
  record?: ComposeRequest['record'];
  /** The message was read, changed or answered: the block's list follows. */
  onChanged(): void;
  onGone(): void;
}

/**
 * The viewer's own message: the mailbox's reader (reply, reply all, forward, links to records), with its composer.
 * Opened from a record's block, what is written here is linked to that record, as from its "Send email".
 */
export function OwnMessageReader({ row, record, onChanged, onGone }: Props) {
  const folders = useFolders(row.accountId, 'block');
  const accounts = useMailAccounts();
  const actions = useMessageActions(onChanged);
  const [compose, setCompose] = useState<ComposeRequest | null>(null);
  return (
    <>
      <MessageDetail
        id={row.id}
        folders={folders.data ?? []}
        actions={actions}
        onChanged={onChanged}
        onCompose={(mode, source) => setCompose({ mode, accountId: row.accountId, source, record })}
        onGone={onGone}
      />
      <ComposeDrawer
        request={compose}
        accounts={accounts.data ?? []}
        onClose={() => setCompose(null)}
        onSent={onChanged}
        onDraftSaved={onChanged}
      />
    </>
  );
}
