import { Database, Op, Transaction } from '@nocobase/database';
import { insertNewRows } from '../db/insert-new-rows';
import type { FlagColumns, MessageRecord } from '../messages/message-record';
import { SUBJECT_KEY_PREFIX } from '../messages/thread-key';
import { accountExists } from './account-exists';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION, SYNC_STATES_COLLECTION } from './collection-names';

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
  constructor(private readonly db: Database) {}

  private get model() {
    return this.db.getModel(MESSAGES_COLLECTION);
  }

  /** UIDs stored for the folder, ascending. */
  async storedUids(folderId: number): Promise<number[]> {
    const rows = (await this.model.findAll({ attributes: ['uid'], where: { folderId }, raw: true })) as unknown as { uid: number | string }[];
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
    return new Map(rows.map((r) => [Number(r.uid), { read: !!r.read, flagged: !!r.flagged, answered: !!r.answered, draft: !!r.draft }]));
  }

  /** Stores new messages; already stored (folder, uid) pairs are left as they are. */
  async insert(records: MessageRecord[]): Promise<void> {
    if (!records.length) return;
    // The account may have been disconnected while this batch was fetched: store nothing for a removed folder.
    if (!(await this.db.getModel(FOLDERS_COLLECTION).count({ where: { id: records[0].folderId } }))) return;
    await this.linkSubjectThreads(records);
    for (const part of chunks(records)) await insertNewRows(this.model, part as unknown as Record<string, unknown>[]);
    // Disconnected between that check and the insert: take back what was just stored (account-exists.ts says why
    // this closes the race).
    if (!(await accountExists(this.db, records[0].accountId))) await this.removeAccount(records[0].accountId);
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
      for (const r of records) if (!r.threadKey.startsWith(SUBJECT_KEY_PREFIX) && r.subjectKey) known.set(r.subjectKey, r.threadKey);
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
          await this.model.update({ threadKey: bySubjectKey.get(threadKey) }, { where: { accountId, threadKey }, hooks: false });
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
        await this.model.update({ ...flags }, { where: { folderId, uid: { [Op.in]: part } }, hooks: false });
      }
    }
  }

  /** Removes messages expunged or moved away on the server. */
  async remove(folderId: number, uids: number[]): Promise<void> {
    if (!uids.length) return;
    for (const part of chunks(uids)) {
      await this.model.destroy({ where: { folderId, uid: { [Op.in]: part } }, hooks: false });
    }
  }

  /** Forgets the folder's local copy (its UIDs are void after a UIDVALIDITY change). */
  async clearFolder(folderId: number, transaction?: Transaction): Promise<void> {
    await this.model.destroy({ where: { folderId }, transaction, hooks: false });
  }

  /**
   * Everything stored for an account, in bulk: used when the account is removed (after its row, in the same
   * transaction), and by a store that finds it wrote for an account removed meanwhile.
   */
  async removeAccount(accountId: number | string, transaction?: Transaction): Promise<void> {
    await this.model.destroy({ where: { accountId }, transaction, hooks: false });
    await this.db.getModel(FOLDERS_COLLECTION).destroy({ where: { accountId }, transaction, hooks: false });
    await this.db.getModel(SYNC_STATES_COLLECTION).destroy({ where: { accountId }, transaction, hooks: false });
  }
}
