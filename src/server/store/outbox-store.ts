import { Database, Op } from '@nocobase/database';
import type { Transaction } from 'sequelize';
import { OutboxState } from '../../shared/mail-sending';
import type { OutboxItemView } from '../../shared/mail-sending-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { toOutboxView } from './outbox-view';
import { inTransaction } from '../db/transaction';
import { OUTBOX_COLLECTION, OUTBOX_FILES_COLLECTION } from './collection-names';

export type Row = { get(key: string): unknown };
export type UserId = number | string;

export interface NewFile {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId?: string | null;
  inline?: boolean;
}

export interface StoredFile extends NewFile {
  id: number;
  size: number;
}

export function outboxNotFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such message in your outbox or drafts.');
}

/** States a user may still edit or delete; `sending` and `sent` are settled by the sender alone. */
/**
 * Runs in the transaction that stores an outgoing message (its row as stored), so what it writes (a link to a
 * record) is there exactly when the message is; a throw stores neither.
 */
export type OnStored = (row: Row, transaction: Transaction) => Promise<void>;

export const EDITABLE_STATES: readonly string[] = [OutboxState.draft, OutboxState.failed, OutboxState.queued];

/** Outbox rows and their attachment bytes. Every user-facing read goes through the owner. */
export class OutboxStore {
  constructor(private readonly db: Database) {}

  private get rows() {
    return this.db.getModel(OUTBOX_COLLECTION);
  }

  private get files() {
    return this.db.getModel(OUTBOX_FILES_COLLECTION);
  }

  /** Stores the row and its files in one transaction: a failure leaves nothing behind. */
  async create(values: Record<string, unknown>, files: NewFile[], onStored?: OnStored): Promise<number> {
    return inTransaction(this.db, async (transaction) => {
      const row = await this.rows.create(values, { transaction });
      const id = Number(row.get('id'));
      await this.addFiles(id, files, 0, transaction);
      await onStored?.(row, transaction);
      return id;
    });
  }

  /** Stores several rows (no files) in one transaction: all of them, or none. */
  async createMany(items: Array<{ values: Record<string, unknown>; onStored?: OnStored }>): Promise<number[]> {
    return inTransaction(this.db, async (transaction) => {
      const ids: number[] = [];
      for (const item of items) {
        const row = await this.rows.create(item.values, { transaction });
        await item.onStored?.(row as Row, transaction);
        ids.push(Number(row.get('id')));
      }
      return ids;
    });
  }

  /** Accounts with bulk-sent messages waiting to go. */
  async accountsWithQueuedBulk(): Promise<number[]> {
    const rows = (await this.rows.findAll({
      where: { state: OutboxState.queued, batchId: { [Op.ne]: null } },
      attributes: ['accountId'],
      group: ['accountId'],
      raw: true,
    })) as unknown as { accountId: number }[];
    return rows.map((r) => Number(r.accountId));
  }

  /** The account's oldest bulk-sent messages waiting to go. */
  async queuedBulk(accountId: number, limit: number): Promise<number[]> {
    const rows = (await this.rows.findAll({
      where: { accountId, state: OutboxState.queued, batchId: { [Op.ne]: null } },
      attributes: ['id'],
      order: [['id', 'ASC']],
      limit,
      raw: true,
    })) as unknown as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** How many send attempts the account made since `since` (the provider counts each submission). */
  async attemptsSince(accountId: number, since: Date): Promise<number> {
    return this.rows.count({ where: { accountId, lastAttemptAt: { [Op.gte]: since } } });
  }

  /**
   * Replaces an editable row's content: its files become `keepFileIds` plus `files`. The state is re-checked in
   * the same transaction, so an edit never lands on a message that went out meanwhile.
   */
  async replace(
    id: number,
    values: Record<string, unknown>,
    keepFileIds: number[] | null,
    files: NewFile[],
    onStored?: OnStored,
  ): Promise<void> {
    await inTransaction(this.db, async (transaction) => {
      const row = await this.rows.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) throw outboxNotFound();
      if (!EDITABLE_STATES.includes(row.get('state') as string)) throw notEditable(row.get('state') as string);
      await row.update(values, { transaction, hooks: false });
      if (keepFileIds) {
        await this.files.destroy({
          where: { outboxId: id, id: { [Op.notIn]: keepFileIds.length ? keepFileIds : [0] } },
          transaction,
        });
      }
      const last = (await this.files.max('position', { where: { outboxId: id }, transaction })) as number | null;
      await this.addFiles(id, files, (last ?? -1) + 1, transaction);
      await onStored?.(row, transaction);
    });
  }

  private async addFiles(outboxId: number, files: NewFile[], start: number, transaction: Transaction) {
    for (const [i, f] of files.entries()) {
      await this.files.create(
        {
          outboxId,
          position: start + i,
          filename: f.filename,
          contentType: f.contentType,
          size: f.content.length,
          contentId: f.contentId ?? null,
          inline: !!f.inline,
          content: f.content,
        },
        { transaction },
      );
    }
  }

  async get(id: number): Promise<Row | null> {
    return (await this.rows.findByPk(id)) as Row | null;
  }

  /** The row carrying this Message-ID (unique), or null. */
  async byMessageId(messageId: string): Promise<Row | null> {
    return (await this.rows.findOne({ where: { messageId } })) as Row | null;
  }

  async forUser(userId: UserId, id: number): Promise<Row> {
    const row = await this.rows.findOne({ where: { id, userId } });
    if (!row) throw outboxNotFound();
    return row as Row;
  }

  async update(id: number, values: Record<string, unknown>): Promise<void> {
    await this.rows.update(values, { where: { id }, hooks: false });
  }

  /** Compare-and-set on the state: true when the row was in `from` and now is in `values.state`. */
  async transition(id: number, from: string[], values: Record<string, unknown>): Promise<boolean> {
    const [count] = await this.rows.update(values, { where: { id, state: { [Op.in]: from } }, hooks: false });
    return count > 0;
  }

  /** Ids of rows in `state`, oldest attempt first. */
  async idsIn(state: string): Promise<number[]> {
    const rows = (await this.rows.findAll({
      where: { state },
      attributes: ['id'],
      order: [
        ['lastAttemptAt', 'ASC'],
        ['id', 'ASC'],
      ],
      raw: true,
    })) as unknown as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  /** File metadata in order, without content. */
  async fileList(outboxId: number): Promise<Row[]> {
    return (await this.files.findAll({
      where: { outboxId },
      attributes: ['id', 'outboxId', 'position', 'filename', 'contentType', 'size', 'contentId', 'inline'],
      order: [
        ['position', 'ASC'],
        ['id', 'ASC'],
      ],
    })) as unknown as Row[];
  }

  async fileContents(outboxId: number): Promise<StoredFile[]> {
    const rows = (await this.files.findAll({
      where: { outboxId },
      order: [
        ['position', 'ASC'],
        ['id', 'ASC'],
      ],
    })) as unknown as Row[];
    return rows.map(toStoredFile);
  }

  async file(outboxId: number, fileId: number): Promise<StoredFile | null> {
    const r = (await this.files.findOne({ where: { outboxId, id: fileId } })) as Row | null;
    return r ? toStoredFile(r) : null;
  }

  async view(row: Row): Promise<OutboxItemView> {
    return toOutboxView(row, await this.fileList(Number(row.get('id'))));
  }

  async list(
    userId: UserId,
    filter: { states?: string[]; accountId?: number; batchId?: string },
    page: number,
    pageSize: number,
  ) {
    const where: Record<string, unknown> = { userId };
    if (filter.states?.length) where.state = { [Op.in]: filter.states };
    if (filter.accountId) where.accountId = filter.accountId;
    if (filter.batchId) where.batchId = filter.batchId;
    const { rows, count } = await this.rows.findAndCountAll({
      where,
      // A bulk send's messages in the order they were asked for; otherwise the latest change first.
      order: filter.batchId
        ? [['id', 'ASC']]
        : [
            ['updatedAt', 'DESC'],
            ['id', 'DESC'],
          ],
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const ids = rows.map((r) => Number(r.get('id')));
    const files = ids.length
      ? ((await this.files.findAll({
          where: { outboxId: { [Op.in]: ids } },
          attributes: ['id', 'outboxId', 'position', 'filename', 'contentType', 'size', 'contentId', 'inline'],
          order: [
            ['position', 'ASC'],
            ['id', 'ASC'],
          ],
        })) as unknown as Row[])
      : [];
    const byOutbox = new Map<number, Row[]>();
    for (const f of files)
      byOutbox.set(Number(f.get('outboxId')), [...(byOutbox.get(Number(f.get('outboxId'))) ?? []), f]);
    return { items: rows.map((r) => toOutboxView(r as Row, byOutbox.get(Number(r.get('id'))) ?? [])), count };
  }

  /** Deletes an editable row with its files; false when it is not editable any more. */
  async remove(id: number): Promise<boolean> {
    return inTransaction(this.db, async (transaction) => {
      const row = await this.rows.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) return true;
      if (!EDITABLE_STATES.includes(row.get('state') as string) && row.get('state') !== OutboxState.sent) return false;
      await this.files.destroy({ where: { outboxId: id }, transaction });
      await row.destroy({ transaction, hooks: false });
      return true;
    });
  }

  /** Everything stored for an account, in bulk, inside the account's own delete transaction. */
  async removeAccount(accountId: number, transaction?: Transaction): Promise<void> {
    const ids = (
      (await this.rows.findAll({ where: { accountId }, attributes: ['id'], raw: true, transaction })) as unknown as {
        id: number;
      }[]
    ).map((r) => r.id);
    if (ids.length) await this.files.destroy({ where: { outboxId: { [Op.in]: ids } }, transaction });
    await this.rows.destroy({ where: { accountId }, transaction, hooks: false });
  }
}

function toStoredFile(r: Row): StoredFile {
  return {
    id: Number(r.get('id')),
    filename: r.get('filename') as string,
    contentType: r.get('contentType') as string,
    size: Number(r.get('size')),
    contentId: (r.get('contentId') as string | null) ?? null,
    inline: !!r.get('inline'),
    content: Buffer.from(r.get('content') as Buffer),
  };
}

export function notEditable(state: string): MailError {
  return new MailError(
    MailErrorCode.INVALID_STATE,
    state === OutboxState.sent
      ? 'This message was already sent and cannot be changed.'
      : 'This message is being sent right now and cannot be changed.',
    { status: 409 },
  );
}
