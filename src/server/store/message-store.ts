import { Database, Op, Transaction } from '@nocobase/database';
import { BatchedCalls } from '../db/batched-calls';
import { insertNewRows } from '../db/insert-new-rows';
import type { MailEventStream } from '../events';
import type { FlagColumns, MessageRecord } from '../messages/message-record';
import { SUBJECT_KEY_PREFIX } from '../messages/thread-key';
import { participantRows, ParticipantRow } from '../records/participant-rows';
import { existingAccounts } from './account-exists';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION, SYNC_STATES_COLLECTION } from './collection-names';
import { ParticipantStore } from './participant-store';

/** Rows per INSERT and ids per IN list: well inside every dialect's bound-parameter limit. */
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function flagKey(f: FlagColumns): string {
  return `${+f.read}${+f.flagged}${+f.answered}${+f.draft}`;
}

/**
 * The sync's writes to `mailMessages`. Each write is one multi-row statement (up to 500 rows), atomic by itself,
 * so there are no long transactions to collide with requests (SQLite has a single writer). The unique
 * (folder, uid) index with INSERT … ON CONFLICT DO NOTHING keeps rows single even when two nodes or an interrupted
 * run store the same UIDs; every step is safe to repeat, which is what makes an interrupted sync resumable.
 */
export class MessageStore {
  /** The participants index, written and removed together with the messages. */
  readonly participants: ParticipantStore;

  /** Every write says what it stored, changed or removed on `events`, once it is done. */
  /** Whether a folder is still stored, asked by every insert: new mail on many mailboxes shares one statement. */
  private readonly folderCheck = new BatchedCalls<number, boolean>(async (folderIds) => {
    const rows = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id'],
      where: { id: [...new Set(folderIds)] },
      raw: true,
    })) as unknown as Array<{ id: number | string }>;
    const found = new Set(rows.map((r) => Number(r.id)));
    return folderIds.map((id) => found.has(id));
  });

  /** accountExists after every insert, likewise shared (account-exists.ts says why it is asked). */
  private readonly accountCheck = new BatchedCalls<number, boolean>(async (accountIds) => {
    const found = await existingAccounts(this.db, accountIds);
    return accountIds.map((id) => found.has(id));
  });

  constructor(
    private readonly db: Database,
    private readonly events: MailEventStream,
  ) {
    this.participants = new ParticipantStore(db);
  }

  private get model() {
    return this.db.getModel(MESSAGES_COLLECTION);
  }

  /** UIDs stored for the folder, ascending. */
  async storedUids(folderId: number): Promise<number[]> {
    const rows = (await this.model.findAll({ attributes: ['uid'], where: { folderId }, raw: true })) as unknown as {
      uid: number | string;
    }[];
    return rows.map((r) => Number(r.uid)).sort((a, b) => a - b);
  }

  /** Flags of the stored messages, by UID; with `page`, the next `limit` UIDs above `afterUid`, ascending. */
  async storedFlags(folderId: number, page?: { afterUid: number; limit: number }): Promise<Map<number, FlagColumns>> {
    const rows = (await this.model.findAll({
      attributes: ['uid', 'read', 'flagged', 'answered', 'draft'],
      where: page ? { folderId, uid: { [Op.gt]: page.afterUid } } : { folderId },
      ...(page ? { order: [['uid', 'ASC']], limit: page.limit } : {}),
      raw: true,
    })) as unknown as Array<{ uid: number | string } & FlagColumns>;
    return new Map(
      rows.map((r) => [
        Number(r.uid),
        { read: !!r.read, flagged: !!r.flagged, answered: !!r.answered, draft: !!r.draft },
      ]),
    );
  }

  /** Stores new messages; already stored (folder, uid) pairs are left as they are. */
  async insert(records: MessageRecord[]): Promise<void> {
    if (!records.length) return;
    // The account may have been disconnected while this batch was fetched: store nothing for a removed folder.
    if (!(await this.folderCheck.call(records[0].folderId))) return;
    await this.linkSubjectThreads(records);
    const stored: Array<{ id: number; uid: number }> = [];
    const { accountId, folderId } = records[0];
    // The envelope's sender and bcc travel on the records for the participants index only.
    const columns = Object.keys(records[0]).filter((k) => k in this.model.rawAttributes);
    const byUid = new Map(records.map((r) => [r.uid, r]));
    for (const part of chunks(records)) {
      const rows = await insertNewRows(this.model, part as unknown as Record<string, unknown>[], ['id', 'uid'], {
        columns,
      });
      const participants: ParticipantRow[] = [];
      for (const row of rows) {
        const id = Number(row.id);
        const uid = Number(row.uid);
        stored.push({ id, uid });
        participants.push(...participantRows({ messageRowId: id, accountId }, byUid.get(uid)!));
      }
      await this.participants.insert(participants);
      if (rows.length < part.length) await this.indexLeftOut(part, rows);
    }
    // Disconnected between that check and the insert: take back what was just stored (account-exists.ts says why
    // this closes the race).
    if (!(await this.accountCheck.call(accountId))) return this.removeAccount(accountId);
    if (!stored.length) return;
    const messageIdOf = new Map(records.map((r) => [r.uid, r.messageId]));
    await this.events.emit('messagesStored', {
      accountId,
      folderId,
      ids: stored.map((r) => r.id),
      messageIds: stored.map((r) => messageIdOf.get(r.uid) ?? null),
    });
  }

  /**
   * Rows of a batch that were already stored (a run interrupted between storing messages and their participants,
   * or another node storing the same batch) get their participants here if they have none: the index stays whole
   * without a transaction around the two writes, and the usual batch, with nothing left out, pays nothing for it.
   */
  private async indexLeftOut(part: MessageRecord[], inserted: Array<Record<string, unknown>>): Promise<void> {
    const done = new Set(inserted.map((r) => Number(r.uid)));
    const byUid = new Map(part.filter((r) => !done.has(r.uid)).map((r) => [r.uid, r]));
    const { accountId, folderId } = part[0];
    const rows = (await this.model.findAll({
      attributes: ['id', 'uid'],
      where: { folderId, uid: { [Op.in]: [...byUid.keys()] } },
      raw: true,
    })) as unknown as Array<{ id: number | string; uid: number | string }>;
    const indexed = new Set(await this.participants.indexedAmong(rows.map((r) => Number(r.id))));
    const missing: ParticipantRow[] = [];
    for (const row of rows) {
      if (indexed.has(Number(row.id))) continue;
      missing.push(...participantRows({ messageRowId: Number(row.id), accountId }, byUid.get(Number(row.uid))!));
    }
    await this.participants.insert(missing);
  }

  /**
   * Replies that carry no References/In-Reply-To join the conversation of a stored message with the same
   * normalised subject; originals stored after such replies adopt them. Either arrival order ends in one thread.
   */
  private async linkSubjectThreads(records: MessageRecord[]): Promise<void> {
    const accountId = records[0].accountId;
    const fallback = records.filter((r) => r.threadKey.startsWith(SUBJECT_KEY_PREFIX) && r.subjectKey);
    const originals = records.filter((r) => r.messageId && r.threadKey === r.messageId.toLowerCase() && r.subjectKey);

    if (fallback.length) {
      const known = new Map<string, string>();
      for (const r of records)
        if (!r.threadKey.startsWith(SUBJECT_KEY_PREFIX) && r.subjectKey) known.set(r.subjectKey, r.threadKey);
      const missing = [...new Set(fallback.map((r) => r.subjectKey))].filter((k) => !known.has(k));
      for (const part of chunks(missing)) {
        const rows = (await this.model.findAll({
          attributes: ['subjectKey', 'threadKey'],
          where: { accountId, subjectKey: { [Op.in]: part }, threadKey: { [Op.notLike]: `${SUBJECT_KEY_PREFIX}%` } },
          raw: true,
        })) as unknown as { subjectKey: string; threadKey: string }[];
        for (const row of rows) if (!known.has(row.subjectKey)) known.set(row.subjectKey, row.threadKey);
      }
      for (const r of fallback) r.threadKey = known.get(r.subjectKey) ?? r.threadKey;
    }

    if (originals.length) {
      const bySubjectKey = new Map(originals.map((r) => [`${SUBJECT_KEY_PREFIX}${r.subjectKey}`, r.threadKey]));
      for (const part of chunks([...bySubjectKey.keys()])) {
        const rows = (await this.model.findAll({
          attributes: ['threadKey'],
          where: { accountId, threadKey: { [Op.in]: part } },
          group: ['threadKey'],
          raw: true,
        })) as unknown as { threadKey: string }[];
        for (const { threadKey } of rows) {
          await this.model.update(
            { threadKey: bySubjectKey.get(threadKey) },
            { where: { accountId, threadKey }, hooks: false },
          );
        }
      }
    }
  }

  /** Applies flag changes; one UPDATE per distinct flag combination (at most 16) and chunk. */
  async updateFlags(folderId: number, changes: Array<{ uid: number; flags: FlagColumns }>): Promise<void> {
    if (!changes.length) return;
    const groups = new Map<string, { flags: FlagColumns; uids: number[] }>();
    for (const c of changes) {
      const key = flagKey(c.flags);
      const g = groups.get(key) ?? { flags: c.flags, uids: [] };
      g.uids.push(c.uid);
      groups.set(key, g);
    }
    for (const { flags, uids } of groups.values()) {
      for (const part of chunks(uids)) {
        const rows = await this.idsOf(folderId, part);
        if (!rows.length) continue;
        await this.model.update({ ...flags }, { where: { id: { [Op.in]: rows.map((r) => r.id) } }, hooks: false });
        await this.events.emit('messagesChanged', {
          accountId: rows[0].accountId,
          ids: rows.map((r) => r.id),
          change: { kind: 'flags', flags },
        });
      }
    }
  }

  /** Ids (and the account) of the folder's rows with these UIDs. */
  private async idsOf(
    folderId: number,
    uids?: number[],
    transaction?: Transaction,
  ): Promise<Array<{ id: number; accountId: number }>> {
    const where = uids ? { folderId, uid: { [Op.in]: uids } } : { folderId };
    const rows = (await this.model.findAll({
      attributes: ['id', 'accountId'],
      where,
      transaction,
      raw: true,
    })) as unknown as Array<{ id: number | string; accountId: number | string }>;
    return rows.map((r) => ({ id: Number(r.id), accountId: Number(r.accountId) }));
  }

  private async removeRows(
    folderId: number,
    rows: Array<{ id: number; accountId: number }>,
    transaction?: Transaction,
  ): Promise<void> {
    if (!rows.length) return;
    for (const part of chunks(rows.map((r) => r.id))) {
      await this.model.destroy({ where: { id: { [Op.in]: part } }, transaction, hooks: false });
      await this.participants.removeMessages(part, transaction);
    }
    const emit = () =>
      this.events.emit('messagesRemoved', { accountId: rows[0].accountId, folderId, ids: rows.map((r) => r.id) });
    if (transaction) transaction.afterCommit(() => emit());
    else await emit();
  }

  /** Removes messages expunged or moved away on the server. */
  async remove(folderId: number, uids: number[]): Promise<void> {
    if (!uids.length) return;
    for (const part of chunks(uids)) await this.removeRows(folderId, await this.idsOf(folderId, part));
  }

  /** Forgets the folder's local copy (its UIDs are void after a UIDVALIDITY change). */
  async clearFolder(folderId: number, transaction?: Transaction): Promise<void> {
    await this.removeRows(folderId, await this.idsOf(folderId, undefined, transaction), transaction);
  }

  /**
   * Everything stored for an account, in bulk: used when the account is removed (after its row, in the same
   * transaction), and by a store that finds it wrote for an account removed meanwhile.
   */
  async removeAccount(accountId: number | string, transaction?: Transaction): Promise<void> {
    await this.model.destroy({ where: { accountId }, transaction, hooks: false });
    await this.participants.removeAccount(accountId, transaction);
    await this.db.getModel(FOLDERS_COLLECTION).destroy({ where: { accountId }, transaction, hooks: false });
    await this.db.getModel(SYNC_STATES_COLLECTION).destroy({ where: { accountId }, transaction, hooks: false });
  }
}
