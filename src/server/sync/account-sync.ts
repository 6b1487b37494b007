import type { ImapFlow, ListResponse } from 'imapflow';
import { MailSyncStage } from '../../shared/mail-reading';
import type { MailEventStream } from '../events';
import { parseImapError } from '../transport/imap/parse-imap-error';
import { planFolder, PlannedFolder, runFolder } from './folder-sync';
import type { FolderRow, FolderStore } from '../store/folder-store';
import type { MessageStore } from '../store/message-store';
import type { SyncStateStore } from '../store/sync-state-store';

export interface AccountSyncDeps {
  messages: MessageStore;
  folders: FolderStore;
  states: SyncStateStore;
  /** Most messages per FETCH and per stored write (batches grow to it). */
  batchSize?: number;
  /** Stored messages per round of an Outlook-profile flags scan (default in folder-sync.ts). */
  scanPage?: number;
  /** The stores say what they wrote; this says when the folder list changed. */
  events: MailEventStream;
}

export interface AccountSyncRequest {
  accountId: number;
  /** Oldest date to cover. */
  windowStart: Date;
  /** Only the Inbox (push): skips LIST and the other folders. */
  inboxOnly?: boolean;
}

export interface AccountSyncResult {
  folders: number;
  fetched: number;
  changed: boolean;
}

/**
 * Messages per FETCH at most, once batches have grown (npm run bench -- sync: 250 → 1,000 took the sync from 2.7×
 * to 2.2× raw imapflow; 2,500 gained nothing more).
 */
const DEFAULT_BATCH = 1000;

/**
 * One sync run of an account over an open connection: mirror the folder list, plan every folder (which gives the
 * progress total up front), then run the plans Inbox first. Progress goes to the account's sync state as batches
 * are stored.
 */
export async function syncAccount(
  client: ImapFlow,
  req: AccountSyncRequest,
  deps: AccountSyncDeps,
): Promise<AccountSyncResult> {
  const { accountId, windowStart } = req;
  const state = await deps.states.ensure(accountId);
  // Disconnected meanwhile: nothing to sync, and nothing may be stored for it.
  if (!state) return { folders: 0, fetched: 0, changed: false };
  const firstRun = (state.get('stage') as string) === MailSyncStage.pending || !state.get('lastSyncAt');

  let changed = false;
  const mirror = async () => {
    const mirrored = await deps.folders.mirror(accountId, (await client.list()) as ListResponse[]);
    // A folder deleted elsewhere took its messages with it: lists and totals must notice.
    if (mirrored.removed) {
      changed = true;
      await deps.events.emit('foldersChanged', { accountId });
    }
    return mirrored.folders;
  };
  let folders: FolderRow[];
  if (req.inboxOnly) {
    const known = (await deps.folders.list(accountId)).filter((f) => f.role === 'inbox');
    folders = known.length ? known : await mirror();
    folders = folders.filter((f) => f.role === 'inbox');
  } else {
    folders = await mirror();
  }

  /**
   * A refusal of one folder is kept on that folder and the others go on; the next full sync tries it again. Any other
   * failure (sign-in, connection, throttling…) concerns the whole account: the caller handles it.
   */
  const keepRefusal = async (folder: FolderRow, err: unknown) => {
    const failure = parseImapError(err);
    if (!failure.folderOnly) throw err;
    if (await deps.folders.saveRefusal(folder.id, failure.error.message)) {
      await deps.events.emit('foldersChanged', { accountId });
    }
  };

  const plans: PlannedFolder[] = [];
  for (const folder of folders) {
    try {
      plans.push(await planFolder(client, deps.messages, folder, windowStart));
    } catch (err) {
      // Deleted on the server between LIST and STATUS: forget it and go on with the others.
      if (parseImapError(err).kind !== 'mailboxMissing') {
        await keepRefusal(folder, err);
        continue;
      }
      await deps.folders.remove(folder.id);
    }
  }

  const total = plans.reduce((n, p) => n + p.pending.length, 0);
  let done = 0;
  if (total > 0) {
    await deps.states.update(accountId, {
      stage: firstRun ? MailSyncStage.initial : MailSyncStage.syncing,
      done,
      total,
    });
  }

  for (const planned of plans) {
    try {
      const outcome = await runFolder(planned, {
        client,
        messages: deps.messages,
        folders: deps.folders,
        batchSize: deps.batchSize ?? DEFAULT_BATCH,
        scanPage: deps.scanPage,
        onStored: async (n) => {
          done = Math.min(total, done + n);
          if (total > 0) await deps.states.update(accountId, { done });
        },
      });
      changed ||= outcome.changed;
      // Synced again after a refusal: the mark goes from the folder list.
      if (planned.folder.syncError) await deps.events.emit('foldersChanged', { accountId });
    } catch (err) {
      if (parseImapError(err).kind !== 'mailboxMissing') {
        await keepRefusal(planned.folder, err);
        continue;
      }
      await deps.folders.remove(planned.folder.id);
      changed = true;
      await deps.events.emit('foldersChanged', { accountId });
    }
  }

  return { folders: plans.length, fetched: done, changed };
}
