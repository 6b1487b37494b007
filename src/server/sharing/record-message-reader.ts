import type { Database, Model } from '@nocobase/database';
import type { SharedMailboxInfo, SharedMessageView } from '../../shared/shared-mail-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { AttachmentDownload, MessageBodies } from '../messages/message-body';
import { toListItem } from '../messages/message-view';
import type { RecordMailQuery, RecordMailRequest } from '../records/record-mail-query';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import type { AccessLog } from './access-log';
import type { MailboxScope } from './mailbox-scope';
import { mailboxInfo } from './mailbox-info';
import { toSharedMessageView } from './shared-message-view';

export interface RecordReaderDeps {
  db: Database;
  query: RecordMailQuery;
  bodies: MessageBodies;
  log: AccessLog;
}

/** Who reads a message through a record, named as the mailbox owner reads it in their access log. */
export interface RecordReader {
  userId: number;
  name: string;
}

const LEVEL_WORDS = { metadata: 'participants and date', subject: 'subject' } as const;

function notOnRecord(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such message on this record among the mail you may see.');
}

/**
 * One message of a record's list, read by a viewer: only a message the record's list shows them (so the record is
 * viewable and the mailbox in their scope, private mail left out), cut to the level of the mailbox it is shown
 * from. A colleague's message read through a record is logged for its owner, whatever the level.
 */
export class RecordMessageReader {
  constructor(private readonly deps: RecordReaderDeps) {}

  private async locate(
    request: RecordMailRequest,
  ): Promise<{ row: Model; scope: MailboxScope; mailbox: SharedMailboxInfo }> {
    const item = (await this.deps.query.list(request)).rows[0];
    const scope = item && request.scope.find((s) => s.accountId === item.accountId);
    const row = scope ? await this.deps.db.getModel(MESSAGES_COLLECTION).findByPk(item.id) : null;
    if (!row || !scope) throw notOnRecord();
    return { row, scope, mailbox: await mailboxInfo(this.deps.db, scope.accountId) };
  }

  private async logRead(
    reader: RecordReader,
    found: { row: Model; scope: MailboxScope },
    action: 'get' | 'attachment',
    part?: string,
  ): Promise<void> {
    if (found.scope.own) return;
    await this.deps.log.record({
      viewer: { id: reader.userId, name: reader.name },
      accountId: found.scope.accountId,
      ownerId: found.scope.ownerId,
      action,
      via: 'record',
      messageId: Number(found.row.get('id')),
      messageRfcId: (found.row.get('messageId') as string | null) ?? null,
      part: part ?? null,
    });
  }

  /** The message as its level allows: the body (sanitised as in the owner's reader) only at `full`. */
  async get(reader: RecordReader, request: RecordMailRequest): Promise<SharedMessageView> {
    const found = await this.locate(request);
    const { row, scope, mailbox } = found;
    await this.logRead(reader, found, 'get');
    if (scope.level === 'full') return toSharedMessageView(await this.deps.bodies.read(row), 'full', mailbox);
    return toSharedMessageView(toListItem(row), scope.level, mailbox);
  }

  /** One attachment, only where the mailbox is shared at `full` (or is the reader's own). */
  async attachment(reader: RecordReader, request: RecordMailRequest, rawPart: unknown): Promise<AttachmentDownload> {
    const found = await this.locate(request);
    const { row, scope, mailbox } = found;
    if (scope.level !== 'full') {
      throw new MailError(
        MailErrorCode.FORBIDDEN,
        `${mailbox.ownerName || mailbox.address} shares this mailbox on records at the ${scope.level} level ` +
          `(${LEVEL_WORDS[scope.level]}): attachments are not shared.`,
      );
    }
    await this.logRead(reader, found, 'attachment', String(rawPart ?? ''));
    // Never inline: a shared reader's HTML points its cid: images at the owner's endpoint.
    return this.deps.bodies.download(row, rawPart, false);
  }
}
