import type { Database } from '@nocobase/database';
import { Op } from 'sequelize';
import type { MailAccessAction, MailAccessLogEntry, MailAccessVia } from '../../shared/shared-mail-types';
import type { UserId } from '../messages/access';
import { ACCESS_LOG_COLLECTION, ACCOUNTS_COLLECTION } from '../store/collection-names';

export interface AccessLogInput {
  viewer: { id: UserId; name: string };
  accountId: number;
  ownerId: number;
  action: MailAccessAction;
  via: MailAccessVia;
  messageId?: number | null;
  messageRfcId?: string | null;
  part?: string | null;
}

const PAGE_SIZE = 200;

type Row = Record<string, unknown>;

/** Reads of someone else's mailbox, written before the mail is returned and listed to the mailbox's owner. */
export class AccessLog {
  constructor(private readonly db: Database) {}

  private get model() {
    return this.db.getModel(ACCESS_LOG_COLLECTION);
  }

  async record(entry: AccessLogInput): Promise<void> {
    await this.model.create({
      accountId: entry.accountId,
      ownerId: entry.ownerId,
      viewerId: entry.viewer.id,
      viewerName: entry.viewer.name.slice(0, 255),
      action: entry.action,
      via: entry.via,
      messageId: entry.messageId ?? null,
      messageRfcId: entry.messageRfcId ?? null,
      part: entry.part ?? null,
    });
  }

  /** The newest entries about the owner's own mailboxes (or one of them), never anyone else's. */
  async forOwner(ownerId: UserId, accountId?: number): Promise<MailAccessLogEntry[]> {
    const owned = (await this.db
      .getModel(ACCOUNTS_COLLECTION)
      .findAll({ attributes: ['id'], where: { userId: ownerId }, raw: true })) as unknown as { id: number }[];
    const ids = owned.map((a) => Number(a.id)).filter((id) => accountId === undefined || id === accountId);
    if (!ids.length) return [];
    const rows = (await this.model.findAll({
      where: { accountId: { [Op.in]: ids } },
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: PAGE_SIZE,
      raw: true,
    })) as unknown as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.createdAt as string).toISOString(),
      accountId: Number(r.accountId),
      viewer: { id: r.viewerId === null ? null : Number(r.viewerId), name: String(r.viewerName ?? '') },
      action: r.action as MailAccessAction,
      via: r.via as MailAccessVia,
      messageId: r.messageId === null ? null : Number(r.messageId),
      messageRfcId: (r.messageRfcId as string | null) ?? null,
      part: (r.part as string | null) ?? null,
    }));
  }
}
