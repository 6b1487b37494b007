import { Database, Op } from '@nocobase/database';
import type { MailEventStream } from '../events';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION } from './collection-names';

/** Messages of one folder whose body text is still to index, newest first. */
export interface PendingText {
  folderId: number;
  messages: Array<{ id: number; uid: number }>;
}

export interface IndexedText {
  id: number;
  text: string;
}

/** Ids per IN list and CASE: well inside every dialect's limits, and a bounded statement (texts are bounded). */
const CHUNK = 500;

/**
 * `mailMessages.indexedText`, the plain text search reads: which rows still lack it (a NULL `textIndexedAt` is the
 * indexer's cursor, so a restart goes on where it stopped), and the writes that fill it, each followed by
 * `messagesChanged { kind: 'indexedText' }` for the search index.
 */
export class TextIndexStore {
  constructor(
    private readonly db: Database,
    private readonly events: MailEventStream,
  ) {}

  private get model() {
    return this.db.getModel(MESSAGES_COLLECTION);
  }

  /** Folders the server refused at the last sync cannot be read either: their messages wait for the next sync. */
  private async readableFolderIds(accountId: number): Promise<number[]> {
    const rows = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id'],
      where: { accountId, syncError: null },
      raw: true,
    })) as unknown as { id: number | string }[];
    return rows.map((r) => Number(r.id));
  }

  /**
   * The next batch: the newest message received since `since` without indexed text, and up to `limit` more of its
   * folder, newest first (one folder per batch: one SELECT on the server).
   */
  async pending(accountId: number, since: Date, limit: number): Promise<PendingText | null> {
    const folderIds = await this.readableFolderIds(accountId);
    if (!folderIds.length) return null;
    const where = { accountId, textIndexedAt: null, date: { [Op.gte]: since } };
    const newest = (await this.model.findOne({
      attributes: ['folderId'],
      where: { ...where, folderId: { [Op.in]: folderIds } },
      order: [['date', 'DESC']],
      raw: true,
    })) as unknown as { folderId: number | string } | null;
    if (!newest) return null;
    const folderId = Number(newest.folderId);
    const rows = (await this.model.findAll({
      attributes: ['id', 'uid'],
      where: { ...where, folderId },
      order: [['date', 'DESC']],
      limit,
      raw: true,
    })) as unknown as { id: number | string; uid: number | string }[];
    return { folderId, messages: rows.map((r) => ({ id: Number(r.id), uid: Number(r.uid) })) };
  }

  /** Messages received since `since`, and how many of them have their text indexed. */
  async progress(accountId: number, since: Date): Promise<{ done: number; total: number }> {
    const where = { accountId, date: { [Op.gte]: since } };
    const total = await this.model.count({ where });
    const done = await this.model.count({ where: { ...where, textIndexedAt: { [Op.ne]: null } } });
    return { done, total };
  }

  /**
   * Stores the texts of one batch: one UPDATE per 500 rows (a CASE on the id), only on rows still without text, so
   * a message opened meanwhile keeps the text its parsed body gave. Returns how many rows it filled.
   */
  async save(accountId: number, texts: IndexedText[]): Promise<number> {
    const sequelize = this.model.sequelize!;
    const qi = sequelize.getQueryInterface();
    const idColumn = qi.quoteIdentifier(this.model.rawAttributes.id?.field ?? 'id');
    let filled = 0;
    for (let i = 0; i < texts.length; i += CHUNK) {
      const part = texts.slice(i, i + CHUNK);
      const ids = part.map((t) => t.id);
      const cases = part.map((t) => `WHEN ${sequelize.escape(t.id)} THEN ${sequelize.escape(t.text)}`).join(' ');
      const [count] = await this.model.update(
        { indexedText: sequelize.literal(`CASE ${idColumn} ${cases} END`), textIndexedAt: new Date() },
        { where: { id: { [Op.in]: ids }, accountId, textIndexedAt: null }, hooks: false },
      );
      filled += count;
      if (count) await this.events.emit('messagesChanged', { accountId, ids, change: { kind: 'indexedText' } });
    }
    return filled;
  }
}
