import { Database, Op } from '@nocobase/database';
import type { ImapFlow } from 'imapflow';
import { MailFolderRole } from '../../shared/mail-reading';
import { MailError, MailErrorCode, invalidInput } from '../errors/mail-error';
import type { MailEventStream } from '../events';
import type { FolderRow, FolderStore } from '../store/folder-store';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import type { ImapConnectionPool } from '../transport/imap/connection-pool';
import { toSequenceSet } from '../transport/imap/uid-set';
import { MailAccess, UserId } from './access';
import { ParticipantStore } from '../store/participant-store';

type Row = { get(key: string): unknown };

export type FlagChange = { read: boolean } | { flagged: boolean };

export interface MessageActionsDeps {
  db: Database;
  access: MailAccess;
  folders: FolderStore;
  pool: ImapConnectionPool;
  /** Told what changed in the local copy. */
  events: MailEventStream;
  /** The server state differs from the local copy: sync the account soon. */
  resync(accountId: number): void;
}

interface FolderGroup {
  folder: FolderRow;
  rows: Row[];
  uids: number[];
}

/** RFC 3501 §2.3.2 system flags behind the boolean columns. */
const FLAG = { read: '\\Seen', flagged: '\\Flagged' } as const;

export function staleFolderError(): MailError {
  return new MailError(
    MailErrorCode.TRANSIENT,
    'This folder changed on the mail server and is being synced again. Try again in a moment.',
  );
}

/**
 * Changes users make to messages: always on the IMAP server first, then in the local copy, so the local copy
 * never claims something the server did not do. Any id that is not the user's fails the whole request.
 */
export class MessageActions {
  constructor(private readonly deps: MessageActionsDeps) {}

  async setFlag(userId: UserId, ids: number[], change: FlagChange): Promise<number[]> {
    const [name, value] = Object.entries(change)[0] as ['read' | 'flagged', boolean];
    const groups = await this.groups(userId, ids);
    for (const g of groups) {
      const todo = g.rows.filter((r) => !!r.get(name) !== value);
      if (!todo.length) continue;
      const uids = todo.map((r) => Number(r.get('uid')));
      await this.inFolder(g.folder, async (client) => {
        const set = toSequenceSet(uids);
        if (value) await client.messageFlagsAdd(set, [FLAG[name]], { uid: true, silent: true });
        else await client.messageFlagsRemove(set, [FLAG[name]], { uid: true, silent: true });
        await this.refreshCounts(client, g.folder);
      });
      const changedIds = todo.map((r) => r.get('id') as number);
      await this.model.update({ [name]: value }, { where: { id: { [Op.in]: changedIds } }, hooks: false });
      await this.deps.events.emit('messagesChanged', {
        accountId: g.folder.accountId,
        ids: changedIds,
        change: { kind: 'flags', flags: { [name]: value } },
      });
    }
    return ids;
  }

  async move(userId: UserId, ids: number[], rawFolderId: unknown): Promise<number[]> {
    if (rawFolderId === undefined || rawFolderId === null || rawFolderId === '')
      throw invalidInput('Say where to: pass the target folder id as values.folderId.');
    const target = await this.deps.access.folder(userId, rawFolderId);
    const targetRow = (await this.deps.folders.byId(target.id)) as FolderRow;
    const groups = await this.groups(userId, ids);
    if (groups.some((g) => g.folder.accountId !== targetRow.accountId)) {
      throw invalidInput('Messages can only be moved to a folder of the same mailbox.');
    }
    for (const g of groups) {
      if (g.folder.id === targetRow.id) continue;
      await this.moveGroup(g, targetRow);
    }
    return ids;
  }

  /** To Trash; messages already in Trash (or a mailbox without one) are deleted for good. */
  async remove(userId: UserId, ids: number[]): Promise<number[]> {
    const groups = await this.groups(userId, ids);
    for (const g of groups) {
      const trash = (await this.deps.folders.list(g.folder.accountId)).find((f) => f.role === MailFolderRole.trash);
      if (trash && trash.id !== g.folder.id) {
        await this.moveGroup(g, trash);
        continue;
      }
      await this.inFolder(g.folder, async (client) => {
        // STORE +FLAGS \Deleted then UID EXPUNGE (RFC 4315), so only these messages are expunged.
        await client.messageDelete(toSequenceSet(g.uids), { uid: true });
        await this.refreshCounts(client, g.folder);
      });
      const removedIds = g.rows.map((r) => r.get('id') as number);
      await this.model.destroy({ where: { id: { [Op.in]: removedIds } }, hooks: false });
      await new ParticipantStore(this.deps.db).removeMessages(removedIds);
      await this.deps.events.emit('messagesRemoved', {
        accountId: g.folder.accountId,
        folderId: g.folder.id,
        ids: removedIds,
      });
    }
    return ids;
  }

  private get model() {
    return this.deps.db.getModel(MESSAGES_COLLECTION);
  }

  private async moveGroup(g: FolderGroup, target: FolderRow): Promise<void> {
    let uidMap: Map<number, number> | undefined;
    let targetValidity: string | undefined;
    await this.inFolder(g.folder, async (client) => {
      // MOVE (RFC 6851) where offered, else COPY + delete; UIDPLUS (RFC 4315) reports the new UIDs.
      const res = await client.messageMove(toSequenceSet(g.uids), target.path, { uid: true });
      if (!res)
        throw new MailError(MailErrorCode.PROVIDER_ERROR, 'The mail server did not move the messages.', {
          owner: 'user',
        });
      uidMap = res.uidMap;
      targetValidity = res.uidValidity === undefined ? undefined : String(res.uidValidity);
      await this.refreshCounts(client, g.folder);
      await this.refreshCounts(client, target);
    });
    // Re-home the rows (keeping their cached bodies) when the server told us the new UIDs in a folder whose
    // UIDVALIDITY we hold; otherwise drop them here and let the sync bring them in at the target.
    const canRehome = !!uidMap && targetValidity !== undefined && targetValidity === target.cursor.uidValidity;
    const moved: number[] = [];
    const dropped: number[] = [];
    for (const row of g.rows) {
      const newUid = canRehome ? uidMap!.get(Number(row.get('uid'))) : undefined;
      const id = row.get('id') as number;
      try {
        if (newUid === undefined) throw new Error('no new UID');
        await this.model.update({ folderId: target.id, uid: newUid }, { where: { id }, hooks: false });
        moved.push(id);
      } catch {
        // No new UID, or the target's sync stored the moved message first (unique folder+uid): drop this copy.
        await this.model.destroy({ where: { id }, hooks: false });
        await new ParticipantStore(this.deps.db).removeMessages([id]);
        dropped.push(id);
      }
    }
    if (!canRehome) this.deps.resync(g.folder.accountId);
    const accountId = g.folder.accountId;
    if (moved.length) {
      await this.deps.events.emit('messagesChanged', {
        accountId,
        ids: moved,
        change: { kind: 'moved', fromFolderId: g.folder.id, toFolderId: target.id },
      });
    }
    if (dropped.length)
      await this.deps.events.emit('messagesRemoved', { accountId, folderId: g.folder.id, ids: dropped });
  }

  /** The user's messages grouped by folder, each with the folder's cursor. */
  private async groups(userId: UserId, ids: number[]): Promise<FolderGroup[]> {
    const rows = await this.deps.access.messages(userId, ids, [
      'id',
      'accountId',
      'folderId',
      'uid',
      'read',
      'flagged',
    ]);
    const byFolder = new Map<number, Row[]>();
    for (const r of rows) {
      const key = Number(r.get('folderId'));
      byFolder.set(key, [...(byFolder.get(key) ?? []), r]);
    }
    const groups: FolderGroup[] = [];
    for (const [folderId, list] of byFolder) {
      const folder = await this.deps.folders.byId(folderId);
      if (!folder) throw new MailError(MailErrorCode.NOT_FOUND, 'No such message in your mailboxes.');
      groups.push({ folder, rows: list, uids: list.map((r) => Number(r.get('uid'))) });
    }
    return groups;
  }

  /** Runs with the folder selected, after checking the stored UIDs still mean the same messages. */
  private async inFolder<T>(folder: FolderRow, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    return this.deps.pool.withFolder(folder.accountId, folder.path, async (client) => {
      const validity = client.mailbox ? String(client.mailbox.uidValidity) : null;
      if (!validity || validity !== folder.cursor.uidValidity) {
        this.deps.resync(folder.accountId);
        throw staleFolderError();
      }
      return fn(client);
    });
  }

  /** Folder counts straight from the server (STATUS), so badges are right at once. */
  private async refreshCounts(client: ImapFlow, folder: FolderRow): Promise<void> {
    const st = await client.status(folder.path, { messages: true, unseen: true });
    if (st) await this.deps.folders.saveCounts(folder.id, { total: st.messages ?? 0, unread: st.unseen ?? 0 });
  }
}
