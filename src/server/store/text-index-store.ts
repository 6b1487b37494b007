import { Database, Op } from '@nocobase/database';
import type { QueryTypes } from 'sequelize';
import type { MailEventStream } from '../events';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION } from './collection-names';

/** Messages of one folder whose body text is still to index, newest first. */
export interface PendingText {
  folderId: number;
  messages: Array<{ id: number; uid: number }>;
  /** Received date of the batch's oldest message: where the next batch of the run starts. */
  oldest: Date;
}

export interface IndexedText {
  id: number;
  text: string;
}

/** Sequelize's dialect SQL writer: quotes a table name with its schema (PostgreSQL) as the dialect needs. */
type QueryGenerator = { queryGenerator: { quoteTable(table: unknown): string } };

/** Dialects whose UPDATE … RETURNING says which rows it changed (SQLite 3.35+). */
const RETURNING_DIALECTS = new Set(['sqlite', 'postgres']);

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
   * The next batch: the newest message received since `since` (and not after `until`) without indexed text, and up
   * to `limit` more of its folder, newest first (one folder per batch: one SELECT on the server). `until` is where
   * the previous batch of a run ended: the (accountId, date) index then starts there instead of stepping over every
   * message already done, which made each batch slower than the one before.
   */
  async pending(accountId: number, since: Date, limit: number, until?: Date): Promise<PendingText | null> {
    const folderIds = await this.readableFolderIds(accountId);
    if (!folderIds.length) return null;
    const date = until ? { [Op.gte]: since, [Op.lte]: until } : { [Op.gte]: since };
    const where = { accountId, date, textIndexedAt: null };
    const newest = (await this.model.findOne({
      attributes: ['folderId'],
      where: { ...where, folderId: { [Op.in]: folderIds } },
      order: [['date', 'DESC']],
      raw: true,
    })) as unknown as { folderId: number | string } | null;
    if (!newest) return null;
    const folderId = Number(newest.folderId);
    const rows = (await this.model.findAll({
      attributes: ['id', 'uid', 'date'],
      where: { ...where, folderId },
      order: [['date', 'DESC']],
      limit,
      raw: true,
    })) as unknown as { id: number | string; uid: number | string; date: Date | string }[];
    return {
      folderId,
      messages: rows.map((r) => ({ id: Number(r.id), uid: Number(r.uid) })),
      oldest: new Date(rows[rows.length - 1].date),
    };
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
    let filled = 0;
    for (let i = 0; i < texts.length; i += CHUNK) {
      const ids = await this.update(accountId, texts.slice(i, i + CHUNK));
      filled += ids.length;
      if (ids.length) await this.events.emit('messagesChanged', { accountId, ids, change: { kind: 'indexedText' } });
    }
    return filled;
  }

  /** One UPDATE; the ids it changed (RETURNING on SQLite and PostgreSQL; elsewhere every id asked for). */
  private async update(accountId: number, texts: IndexedText[]): Promise<number[]> {
    const model = this.model;
    const sequelize = model.sequelize!;
    const qi = sequelize.getQueryInterface();
    const column = (name: string) => qi.quoteIdentifier(model.rawAttributes[name]?.field ?? name);
    const table = (qi as unknown as QueryGenerator).queryGenerator.quoteTable(model.getTableName());
    const returning = RETURNING_DIALECTS.has(sequelize.getDialect());
    const id = column('id');
    const now = new Date();
    const sql =
      `UPDATE ${table} SET ${column('indexedText')} = CASE ${id} ${texts.map(() => 'WHEN ? THEN ?').join(' ')} END, ` +
      `${column('textIndexedAt')} = ?, ${column('updatedAt')} = ? ` +
      `WHERE ${id} IN (${texts.map(() => '?').join(',')}) AND ${column('accountId')} = ? ` +
      `AND ${column('textIndexedAt')} IS NULL${returning ? ` RETURNING ${id} AS ${qi.quoteIdentifier('id')}` : ''}`;
    const replacements = [...texts.flatMap((t) => [t.id, t.text]), now, now, ...texts.map((t) => t.id), accountId];
    if (!returning) {
      await sequelize.query(sql, { replacements });
      return texts.map((t) => t.id);
    }
    // As a SELECT, both dialects' drivers hand back the returned rows.
    const rows = (await sequelize.query(sql, {
      replacements,
      type: 'SELECT' as QueryTypes.SELECT,
      raw: true,
    })) as Array<{ id: number | string }>;
    return rows.map((r) => Number(r.id));
  }
}
