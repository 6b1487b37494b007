import { Database, literal, Op } from '@nocobase/database';
import { MailFolderRole } from '../../shared/mail-reading';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, PARTICIPANTS_COLLECTION } from '../store/collection-names';

/**
 * Conditions on `mailMessages` answered from the participants' indexes: who takes part in a message, and which
 * messages a mailbox sent. Written as SQL sub-selects (`id IN (SELECT messageRowId …)`), which every dialect plans
 * from the participants' (accountId, address) and (accountId, domain) indexes.
 */
export class ParticipantSql {
  constructor(private readonly db: Database) {}

  quote(name: string): string {
    return this.db.sequelize.getQueryInterface().quoteIdentifier(name);
  }

  /** A column of a collection as SQL, following NocoBase's attribute → column mapping. */
  column(collection: string, attribute: string): string {
    const field = this.db.getModel(collection).rawAttributes[attribute]?.field ?? attribute;
    return this.quote(field);
  }

  table(collection: string): string {
    const qi = this.db.sequelize.getQueryInterface() as unknown as {
      queryGenerator: { quoteTable(table: unknown): string };
    };
    return qi.queryGenerator.quoteTable(this.db.getModel(collection).getTableName());
  }

  list(values: Array<string | number>): string {
    return values.map((v) => this.db.sequelize.escape(v)).join(',');
  }

  /** `id IN (message rows where a participant matches)`. */
  messageRows(accountIds: number[], condition: string): object {
    const p = (a: string) => this.column(PARTICIPANTS_COLLECTION, a);
    const sql =
      `SELECT ${p('messageRowId')} FROM ${this.table(PARTICIPANTS_COLLECTION)} ` +
      `WHERE ${p('accountId')} IN (${this.list(accountIds)}) AND (${condition})`;
    return { id: { [Op.in]: literal(`(${sql})`) } };
  }

  /** The mailboxes' own addresses, lower-cased, by account id. */
  async mailboxAddresses(accountIds: number[]): Promise<Map<number, string>> {
    if (!accountIds.length) return new Map();
    const rows = (await this.db.getModel(ACCOUNTS_COLLECTION).findAll({
      attributes: ['id', 'address'],
      where: { id: { [Op.in]: accountIds } },
      raw: true,
    })) as unknown as { id: number; address: string }[];
    return new Map(rows.map((r) => [Number(r.id), String(r.address).toLowerCase()]));
  }

  /**
   * Sent mail: in a folder with the Sent role, or from the mailbox's own address (a sent copy filed elsewhere, or
   * mail the owner sent from another client into the Inbox of a colleague's shared mailbox).
   */
  async sent(mailboxes: Map<number, string>): Promise<object> {
    const accountIds = [...mailboxes.keys()];
    if (!accountIds.length) return { id: { [Op.in]: [] } };
    const sentFolders = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id'],
      where: { accountId: { [Op.in]: accountIds }, role: MailFolderRole.sent },
      raw: true,
    })) as unknown as { id: number }[];
    const p = (a: string) => this.column(PARTICIPANTS_COLLECTION, a);
    const ownFrom = [...mailboxes]
      .map(([id, address]) => `(${p('accountId')} = ${this.list([id])} AND ${p('address')} = ${this.list([address])})`)
      .join(' OR ');
    const or: object[] = [this.messageRows(accountIds, `${p('role')} = 'from' AND (${ownFrom})`)];
    if (sentFolders.length) or.push({ folderId: { [Op.in]: sentFolders.map((f) => Number(f.id)) } });
    return { [Op.or]: or };
  }
}
