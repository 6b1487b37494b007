import { Database, Op } from '@nocobase/database';
import type { Transaction } from 'sequelize';
import type { MailLinkKind } from '../../shared/mail-links';
import { LINKS_COLLECTION } from './collection-names';

/** A link as stored: which record, which mail (Message-ID or thread key), from which mailbox, by whom. */
export interface LinkRow {
  id: number;
  collection: string;
  recordKey: string;
  kind: MailLinkKind;
  mailKey: string;
  accountId: number;
  mailbox: string | null;
  userId: number;
}

export type NewLink = Omit<LinkRow, 'id'>;

/** What identifies a link: the unique index of `mailLinks`. */
export type LinkIdentity = Pick<LinkRow, 'collection' | 'recordKey' | 'kind' | 'mailKey' | 'accountId'>;

type Row = { get(key: string): unknown };
type Tx = { transaction?: Transaction };

function toLinkRow(row: Row): LinkRow {
  const mailbox = row.get('mailbox') as string | null;
  return {
    id: Number(row.get('id')),
    collection: row.get('collectionName') as string,
    recordKey: row.get('recordKey') as string,
    kind: row.get('kind') as MailLinkKind,
    mailKey: row.get('mailKey') as string,
    accountId: Number(row.get('accountId')),
    mailbox: mailbox ?? null,
    userId: Number(row.get('userId')),
  };
}

function identityWhere(link: LinkIdentity) {
  return {
    collectionName: link.collection,
    recordKey: link.recordKey,
    kind: link.kind,
    mailKey: link.mailKey,
    accountId: link.accountId,
  };
}

/** The raw reads and writes of `mailLinks` (hooks off: a link is no NocoBase record anyone else listens to). */
export class LinkStore {
  constructor(private readonly db: Database) {}

  private get model() {
    return this.db.getModel(LINKS_COLLECTION);
  }

  private async findOne(where: Record<string, unknown>, options: Tx = {}): Promise<LinkRow | null> {
    const row = await this.model.findOne({ where, transaction: options.transaction });
    return row ? toLinkRow(row as unknown as Row) : null;
  }

  /** Stores the link unless the same one exists; either way returns it, with whether it is new. */
  async add(link: NewLink, options: Tx = {}): Promise<{ link: LinkRow; created: boolean }> {
    const existing = await this.findOne(identityWhere(link), options);
    if (existing) return { link: existing, created: false };
    try {
      const row = await this.model.create(
        {
          collectionName: link.collection,
          recordKey: link.recordKey,
          kind: link.kind,
          mailKey: link.mailKey,
          accountId: link.accountId,
          mailbox: link.mailbox,
          userId: link.userId,
        },
        { hooks: false, transaction: options.transaction },
      );
      return { link: toLinkRow(row as unknown as Row), created: true };
    } catch (err) {
      // Two requests linking the same thing at once: the unique index lets one in, the other finds it.
      if ((err as Error).name !== 'SequelizeUniqueConstraintError') throw err;
      const raced = await this.findOne(identityWhere(link), options);
      if (!raced) throw err;
      return { link: raced, created: false };
    }
  }

  async byId(id: number, options: Tx = {}): Promise<LinkRow | null> {
    return this.findOne({ id }, options);
  }

  /** A user's links of one record to one piece of mail, from any of their mailboxes. */
  async ofUser(
    userId: number,
    ref: Pick<LinkRow, 'collection' | 'recordKey' | 'kind' | 'mailKey'>,
    options: Tx = {},
  ): Promise<LinkRow[]> {
    const rows = await this.model.findAll({
      where: { userId, collectionName: ref.collection, recordKey: ref.recordKey, kind: ref.kind, mailKey: ref.mailKey },
      transaction: options.transaction,
    });
    return (rows as unknown as Row[]).map(toLinkRow);
  }

  /** Links that hold on to this Message-ID (message links) or this thread key (conversation links), oldest first. */
  async forMail(keys: { messageId: string | null; threadKey: string | null }): Promise<LinkRow[]> {
    const or: Record<string, unknown>[] = [];
    if (keys.messageId) or.push({ kind: 'message', mailKey: keys.messageId });
    if (keys.threadKey) or.push({ kind: 'thread', mailKey: keys.threadKey });
    if (!or.length) return [];
    const rows = await this.model.findAll({ where: { [Op.or]: or }, order: [['id', 'ASC']] });
    return (rows as unknown as Row[]).map(toLinkRow);
  }

  /** Every link of one record. */
  async ofRecord(collection: string, recordKey: string): Promise<LinkRow[]> {
    const rows = await this.model.findAll({ where: { collectionName: collection, recordKey } });
    return (rows as unknown as Row[]).map(toLinkRow);
  }

  async remove(ids: number[], options: Tx = {}): Promise<number> {
    if (!ids.length) return 0;
    return this.model.destroy({ where: { id: { [Op.in]: ids } }, hooks: false, transaction: options.transaction });
  }

  /** The record is gone: so are its links. */
  async removeForRecord(collection: string, recordKey: string, options: Tx = {}): Promise<number> {
    return this.model.destroy({
      where: { collectionName: collection, recordKey },
      hooks: false,
      transaction: options.transaction,
    });
  }

  /**
   * "Forget this mailbox's links": those the owner made from this account, or from an earlier connection of the
   * same address (a reconnect is a new account row).
   */
  async removeForMailbox(mailbox: { accountId: number; userId: number; address: string }, options: Tx = {}) {
    return this.model.destroy({
      where: {
        [Op.or]: [{ accountId: mailbox.accountId }, { userId: mailbox.userId, mailbox: mailbox.address.toLowerCase() }],
      },
      hooks: false,
      transaction: options.transaction,
    });
  }
}
