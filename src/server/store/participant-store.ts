import { Database, Op, Transaction } from '@nocobase/database';
import { insertNewRows } from '../db/insert-new-rows';
import type { ParticipantRow } from '../records/participant-rows';
import { PARTICIPANTS_COLLECTION } from './collection-names';

/** Rows per INSERT (5 values each) and ids per IN list: well inside every dialect's bound-parameter limit. */
const CHUNK = 500;

const COLUMNS = ['messageRowId', 'accountId', 'role', 'address', 'domain'];

/** The raw writes to the participants index; the message store calls them wherever it stores or removes messages. */
export class ParticipantStore {
  constructor(private readonly db: Database) {}

  private get model() {
    return this.db.getModel(PARTICIPANTS_COLLECTION);
  }

  async insert(rows: ParticipantRow[], transaction?: Transaction): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK) as unknown as Record<string, unknown>[];
      await insertNewRows(this.model, part, ['messageRowId'], { columns: COLUMNS, transaction });
    }
  }

  /** Which of these message rows have participants stored. */
  async indexedAmong(messageRowIds: number[]): Promise<number[]> {
    const found: number[] = [];
    for (let i = 0; i < messageRowIds.length; i += CHUNK) {
      const rows = (await this.model.findAll({
        attributes: ['messageRowId'],
        where: { messageRowId: { [Op.in]: messageRowIds.slice(i, i + CHUNK) } },
        group: ['messageRowId'],
        raw: true,
      })) as unknown as { messageRowId: number | string }[];
      for (const r of rows) found.push(Number(r.messageRowId));
    }
    return found;
  }

  /** Forgets the participants of these message rows. */
  async removeMessages(messageRowIds: number[], transaction?: Transaction): Promise<void> {
    for (let i = 0; i < messageRowIds.length; i += CHUNK) {
      const part = messageRowIds.slice(i, i + CHUNK);
      await this.model.destroy({ where: { messageRowId: { [Op.in]: part } }, transaction, hooks: false });
    }
  }

  async removeAccount(accountId: number | string, transaction?: Transaction): Promise<void> {
    await this.model.destroy({ where: { accountId }, transaction, hooks: false });
  }
}
