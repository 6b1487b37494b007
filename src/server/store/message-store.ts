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

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** What one insert call stored (row id and Message-ID), or that its account was disconnected meanwhile. */
type StoredBatch = Array<{ id: number; messageId: string | null }> | 'account gone';

/** A message row's place: its folder and UID. */
const rowKey = (folderId: number, uid: number) => `${folderId}:${uid}`;

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
  /** New mail on many mailboxes at once (push on a busy node) shares the statements of one insert. */
  private readonly inserts = new BatchedCalls<MessageRecord[], StoredBatch>((batches) => this.store(batches));

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

  /** Stores new messages of one folder; already stored (folder, uid) pairs are left as they are. */
  async insert(records: MessageRecord[]): Promise<void> {
    if (!records.length) return;
    const { accountId, folderId } = records[0];
    const outcome = await this.inserts.call(records);
    // Disconnected between the folder check and the insert: take back what was just stored (account-exists.ts
    // says why this closes the race).
    if (outcome === 'account gone') return this.removeAccount(accountId);
    if (!outcome.length) return;
    // Told outside the shared statements: one folder's listeners never hold up the next shared insert.
    await this.events.emit('messagesStored', {
      accountId,
      folderId,
      ids: outcome.map((r) => r.id),
      messageIds: outcome.map((r) => r.messageId),
    });
  }

  /** The batches of several insert calls (one folder each) in one set of statements; what each of them stored. */
  private async store(batches: MessageRecord[][]): Promise<StoredBatch[]> {
    // An account may have been disconnected while its batch was fetched: store nothing for a removed folder.
    const present = await this.foldersPresent(batches.map((b) => b[0].folderId));
    const live = batches.filter((b) => present.has(b[0].folderId));
    if (!live.length) return batches.map(() => []);
    const records = live.flat();
    await this.linkSubjectThreads(records);
    const stored = new Map<string, number>();
    // The envelope's sender and bcc travel on the records for the participants index only.
    const columns = Object.keys(records[0]).filter((k) => k in this.model.rawAttributes);
    const byKey = new Map(records.map((r) => [rowKey(r.folderId, r.uid), r]));
    for (const part of chunks(records)) {
      const rows = await insertNewRows(
        this.model,
        part as unknown as Record<string, unknown>[],
        ['id', 'uid', 'folderId'],
        { columns },
      );
      const participants: ParticipantRow[] = [];
      for (const row of rows) {
        const record = byKey.get(rowKey(Number(row.folderId), Number(row.uid)))!;
        const id = Number(row.id);
        stored.set(rowKey(record.folderId, record.uid), id);
        participants.push(...participantRows({ messageRowId: id, accountId: record.accountId }, record));
      }
      await this.participants.insert(participants);
      if (rows.length < part.length) {
        const left = part.filter((r) => !stored.has(rowKey(r.folderId, r.uid)));
        for (const folder of groupBy(left, (r) => r.folderId).values()) await this.indexLeftOut(folder);
      }
    }
    const accounts = await existingAccounts(
      this.db,
      live.map((b) => b[0].accountId),
    );
    return batches.map((batch): StoredBatch => {
      if (!present.has(batch[0].folderId)) return [];
      if (!accounts.has(batch[0].accountId)) return 'account gone';
      return batch
        .filter((r) => stored.has(rowKey(r.folderId, r.uid)))
        .map((r) => ({ id: stored.get(rowKey(r.folderId, r.uid))!, messageId: r.messageId ?? null }));
    });
  }

  private async foldersPresent(folderIds: number[]): Promise<Set<number>> {
    const rows = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id'],
      where: { id: [...new Set(folderIds)] },
      raw: true,
    })) as unknown as Array<{ id: number | string }>;
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Rows of a batch that were already stored (a run interrupted between storing messages and their participants,
   * or another node storing the same batch) get their participants here if they have none: the index stays whole
   * without a transaction around the two writes, and the usual batch, with nothing left out, pays nothing for it.
   */
  private async indexLeftOut(left: MessageRecord[]): Promise<void> {
    const byUid = new Map(left.map((r) => [r.uid, r]));
    const { accountId, folderId } = left[0];
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
    // The records may be of several accounts (a shared insert): threads never cross accounts.
    const accountIds = [...new Set(records.map((r) => r.accountId))];
    const inAccount = (accountId: number | string, key: string) => `${accountId}\u0000${key}`;
    const fallback = records.filter((r) => r.threadKey.startsWith(SUBJECT_KEY_PREFIX) && r.subjectKey);
    const originals = records.filter((r) => r.messageId && r.threadKey === r.messageId.toLowerCase() && r.subjectKey);

    if (fallback.length) {
      const known = new Map<string, string>();
      for (const r of records)
        if (!r.threadKey.startsWith(SUBJECT_KEY_PREFIX) && r.subjectKey)
          known.set(inAccount(r.accountId, r.subjectKey), r.threadKey);
      const missing = fallback.filter((r) => !known.has(inAccount(r.accountId, r.subjectKey)));
      for (const part of chunks([...new Set(missing.map((r) => r.subjectKey))])) {
        const rows = (await this.model.findAll({
          attributes: ['accountId', 'subjectKey', 'threadKey'],
          where: {
            accountId: accountIds,
            subjectKey: { [Op.in]: part },
            threadKey: { [Op.notLike]: `${SUBJECT_KEY_PREFIX}%` },
          },
          raw: true,
        })) as unknown as { accountId: number | string; subjectKey: string; threadKey: string }[];
        for (const row of rows) {
          const key = inAccount(row.accountId, row.subjectKey);
          if (!known.has(key)) known.set(key, row.threadKey);
        }
      }
      for (const r of fallback) r.threadKey = known.get(inAccount(r.accountId, r.subjectKey)) ?? r.threadKey;
    }

    if (originals.length) {
      const adopting = new Map(
        originals.map((r) => [inAccount(r.accountId, `${SUBJECT_KEY_PREFIX}${r.subjectKey}`), r.threadKey]),
      );
      const subjectThreads = [...new Set(originals.map((r) => `${SUBJECT_KEY_PREFIX}${r.subjectKey}`))];
      for (const part of chunks(subjectThreads)) {
        const rows = (await this.model.findAll({
          attributes: ['accountId', 'threadKey'],
          where: { accountId: accountIds, threadKey: { [Op.in]: part } },
          group: ['accountId', 'threadKey'],
          raw: true,
        })) as unknown as { accountId: number | string; threadKey: string }[];
        for (const { accountId, threadKey } of rows) {
          const original = adopting.get(inAccount(accountId, threadKey));
          if (!original) continue;
          await this.model.update(
            { threadKey: original },
            { where: { accountId: Number(accountId), threadKey }, hooks: false },
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
