import { Database, Op } from '@nocobase/database';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, MESSAGES_COLLECTION } from '../store/collection-names';

export type UserId = number | string;
type Row = { get(key: string): unknown };
export interface OwnedFolder {
  id: number;
  accountId: number;
}

/** The most ids one bulk action takes. */
export const MAX_BULK_IDS = 1000;

export function messageNotFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such message in your mailboxes.');
}

export function folderNotFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such folder in your mailboxes.');
}

export function accountNotFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such mailbox among your connected accounts.');
}

/** `filterByTk` as one id or many (`filterByTk[]=1&filterByTk[]=2`, or an array in the body). */
export function parseIds(raw: unknown): number[] {
  if (raw === undefined || raw === null || raw === '') {
    throw new MailError(MailErrorCode.INVALID_INPUT, 'Say which messages: pass their ids as filterByTk.');
  }
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.includes(',') ? raw.split(',') : [raw];
  if (list.length > MAX_BULK_IDS)
    throw new MailError(MailErrorCode.INVALID_INPUT, `At most ${MAX_BULK_IDS} messages at a time.`);
  return [...new Set(list.map((v) => parseId(v, 'message', 'filterByTk')))];
}

/**
 * Every read goes through the owner: queries always carry the user's account ids, so another user's message,
 * folder or account answers exactly like one that does not exist (404, never 403).
 */
export class MailAccess {
  constructor(private readonly db: Database) {}

  async accountIds(userId: UserId): Promise<number[]> {
    const rows = (await this.db
      .getModel(ACCOUNTS_COLLECTION)
      .findAll({ attributes: ['id'], where: { userId }, raw: true })) as unknown as { id: number }[];
    return rows.map((r) => Number(r.id));
  }

  async account(userId: UserId, rawId: unknown): Promise<number> {
    const id = parseId(rawId, 'account');
    if (!(await this.accountIds(userId)).includes(id)) throw accountNotFound();
    return id;
  }

  /** The user's folder with this id (its account is then the user's too), or a 404. */
  async folder(userId: UserId, rawId: unknown): Promise<OwnedFolder> {
    const id = parseId(rawId, 'folder');
    const accountIds = await this.accountIds(userId);
    if (!accountIds.length) throw folderNotFound();
    const row = (await this.db.getModel(FOLDERS_COLLECTION).findOne({
      attributes: ['id', 'accountId'],
      where: { id, accountId: { [Op.in]: accountIds } },
      raw: true,
    })) as unknown as { id: number | string; accountId: number | string } | null;
    if (!row) throw folderNotFound();
    return { id: Number(row.id), accountId: Number(row.accountId) };
  }

  /** The messages, all of them the user's, or a 404 for the whole request (no partial writes). */
  async messages(userId: UserId, ids: number[], attributes?: string[]): Promise<Row[]> {
    const accountIds = await this.accountIds(userId);
    if (!accountIds.length) throw messageNotFound();
    const rows = await this.db.getModel(MESSAGES_COLLECTION).findAll({
      where: { id: { [Op.in]: ids }, accountId: { [Op.in]: accountIds } },
      ...(attributes ? { attributes } : {}),
    });
    if (rows.length !== ids.length) throw messageNotFound();
    return rows as unknown as Row[];
  }

  async message(userId: UserId, rawId: unknown): Promise<Row> {
    return (await this.messages(userId, [parseId(rawId, 'message')]))[0];
  }
}
