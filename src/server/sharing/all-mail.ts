import type { Database, Model } from '@nocobase/database';
import { Op } from 'sequelize';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import type { SharedMailboxInfo, SharedMessageView } from '../../shared/shared-mail-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import type { UserId } from '../messages/access';
import type { AttachmentDownload, MessageBodies } from '../messages/message-body';
import { toListItem } from '../messages/message-view';
import type { SettingsService } from '../settings/settings-service';
import { ACCOUNTS_COLLECTION, MESSAGES_COLLECTION } from '../store/collection-names';
import type { AccessLog } from './access-log';
import { mailboxInfo, toMailboxInfo } from './mailbox-info';
import type { MailboxScope } from './mailbox-scope';
import { toSharedMessageView } from './shared-message-view';
import type { SharingService } from './sharing-service';

/** Who opens the all-mail view: the admin's user, their name for the log, and whether a role of theirs holds its snippet. */
export interface AllMailViewer {
  userId: UserId;
  name: string;
  holdsSnippet: boolean;
}

export interface AllMailDeps {
  db: Database;
  settings: SettingsService;
  sharing: SharingService;
  bodies: MessageBodies;
  log: AccessLog;
}

const MAX_PAGE_SIZE = 100;

function forbidden(message: string): MailError {
  return new MailError(MailErrorCode.FORBIDDEN, message);
}

function notReachable(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such message among the mail you may read.');
}

/**
 * The admin's all-mail view: any mailbox's messages at level `full` through the sharing policy's own scope, so the
 * owners' private folders and the senders' private messages stay out, and every read is logged for the owner
 * before the mail is returned. Off unless the admin turned it on in the settings and a role of the reader holds
 * the all-mail snippet.
 */
export class AllMailService {
  constructor(private readonly deps: AllMailDeps) {}

  private async open(viewer: AllMailViewer): Promise<void> {
    if (!(await this.deps.settings.load()).allMailEnabled)
      throw forbidden('The all-mail view is off. An administrator can turn it on in the email settings.');
    if (!viewer.holdsSnippet)
      throw forbidden(
        'Reading other people\'s mailboxes needs the "All mail" permission, which an administrator grants to roles.',
      );
  }

  /** Every connected mailbox, with its owner: what the view offers to open. */
  async mailboxes(viewer: AllMailViewer): Promise<SharedMailboxInfo[]> {
    await this.open(viewer);
    const rows = await this.deps.db.getRepository(ACCOUNTS_COLLECTION).find({ appends: ['user'], sort: ['id'] });
    return rows.map((row: Model) => toMailboxInfo(row));
  }

  private static scope(mailbox: SharedMailboxInfo): MailboxScope {
    return { accountId: mailbox.accountId, ownerId: mailbox.ownerId, own: false, level: 'full' };
  }

  private async logRead(
    viewer: AllMailViewer,
    mailbox: SharedMailboxInfo,
    action: 'list' | 'get' | 'attachment',
    message?: Model,
    part?: string,
  ): Promise<void> {
    await this.deps.log.record({
      viewer: { id: viewer.userId, name: viewer.name },
      accountId: mailbox.accountId,
      ownerId: mailbox.ownerId,
      action,
      via: 'allMail',
      messageId: message ? Number(message.get('id')) : null,
      messageRfcId: message ? ((message.get('messageId') as string | null) ?? null) : null,
      part: part ?? null,
    });
  }

  /** One page of a mailbox's messages, newest first, without bodies. */
  async list(
    viewer: AllMailViewer,
    rawAccountId: unknown,
    paging: { page?: unknown; pageSize?: unknown } = {},
  ): Promise<SharedMessageView[]> {
    await this.open(viewer);
    const mailbox = await mailboxInfo(this.deps.db, parseId(rawAccountId, 'mailbox', 'accountId'));
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(paging.pageSize) || 50));
    const page = Math.max(1, Number(paging.page) || 1);
    await this.logRead(viewer, mailbox, 'list');
    const rows = await this.deps.db.getModel(MESSAGES_COLLECTION).findAll({
      where: await this.deps.sharing.messageWhere([AllMailService.scope(mailbox)]),
      order: [
        ['date', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return rows.map((row) => toSharedMessageView(toListItem(row) as MailMessageListItem, 'full', mailbox));
  }

  /** The message row if the all-mail scope reaches it: a private one answers as a missing one. */
  private async reachable(rawId: unknown): Promise<{ row: Model; mailbox: SharedMailboxInfo }> {
    const id = parseId(rawId, 'message');
    const model = this.deps.db.getModel(MESSAGES_COLLECTION);
    const located = (await model.findOne({ attributes: ['accountId'], where: { id }, raw: true })) as unknown as {
      accountId: number;
    } | null;
    if (!located) throw notReachable();
    const mailbox = await mailboxInfo(this.deps.db, Number(located.accountId));
    const where = await this.deps.sharing.messageWhere([AllMailService.scope(mailbox)]);
    const row = await model.findOne({ where: { [Op.and]: [{ id }, where] } });
    if (!row) throw notReachable();
    return { row: row as Model, mailbox };
  }

  /** The message with its body (sanitised as the owner's reader gets it); logged. */
  async get(viewer: AllMailViewer, rawId: unknown): Promise<SharedMessageView> {
    await this.open(viewer);
    const { row, mailbox } = await this.reachable(rawId);
    await this.logRead(viewer, mailbox, 'get', row);
    return toSharedMessageView(await this.deps.bodies.read(row), 'full', mailbox);
  }

  /** One attachment, streamed; logged. */
  async attachment(viewer: AllMailViewer, rawId: unknown, rawPart: unknown): Promise<AttachmentDownload> {
    await this.open(viewer);
    const { row, mailbox } = await this.reachable(rawId);
    await this.logRead(viewer, mailbox, 'attachment', row, String(rawPart ?? ''));
    // Never inline: the reader's HTML points its cid: images at the owner's endpoint, not at this one.
    return this.deps.bodies.download(row, rawPart, false);
  }
}
