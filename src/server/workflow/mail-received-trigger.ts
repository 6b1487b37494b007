import type { WorkflowModel } from '@nocobase/plugin-workflow';
import type { MailAddress } from '../../shared/mail-reading-types';
import { jsonColumn } from '../db/json-column';
import type { MailEvents } from '../events';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION } from '../store/collection-names';
import { messageKey } from './delivery-key';
import { MailTrigger, Row } from './mail-trigger';
import { MailReceivedConfig, matchesMail } from './received-filter';

/**
 * "Mail received": new mail stored in a watched mailbox and folder, through the pre-filters, starts the workflow
 * once per workflow and message (keyed by mailbox address + Message-ID). Mail that was in the mailbox before it
 * was connected (received earlier than the account was created) does not, unless the workflow includes existing mail.
 */
export class MailReceivedTrigger extends MailTrigger {
  /** The `messagesStored` listener. */
  onStored = this.listener('handling new mail', (payload: MailEvents['messagesStored']) => this.handle(payload));

  private async handle({ accountId, folderId, ids }: MailEvents['messagesStored']): Promise<void> {
    const { db } = this.deps;
    const folder = (await db.getModel(FOLDERS_COLLECTION).findByPk(folderId)) as Row | null;
    if (!folder) return;
    const watched = await this.watching(accountId, (account) => new Date(account.get('createdAt') as string));
    if (!watched?.workflows.length) return;
    const { account, mailbox, workflows } = watched;
    const rows = (await db.getModel(MESSAGES_COLLECTION).findAll({ where: { id: ids } })) as unknown as Row[];
    const address = (account.get('address') as string).toLowerCase();
    const context = this.contextOnce(accountId);

    const candidates = rows.flatMap((row) => {
      const mail = {
        folderRole: (folder.get('role') as string | null) ?? null,
        from: jsonColumn<MailAddress[]>(row.get('from'), []),
        to: jsonColumn<MailAddress[]>(row.get('to'), []),
        cc: jsonColumn<MailAddress[]>(row.get('cc'), []),
        subject: (row.get('subject') as string | null) ?? '',
        hasAttachments: !!row.get('hasAttachments'),
        date: new Date(row.get('date') as string),
      };
      const key = messageKey({
        messageId: (row.get('messageId') as string | null) ?? null,
        from: mail.from,
        sentAt: (row.get('sentAt') as string | null) ?? null,
        subject: mail.subject,
        size: Number(row.get('size') ?? 0),
      });
      return workflows
        .filter((w: WorkflowModel) => matchesMail((w.config ?? {}) as MailReceivedConfig, mail, mailbox))
        .map((w) => ({
          workflow: w,
          delivery: { workflowKey: w.key, mailbox: address, messageKey: key },
          context: () => context(row),
        }));
    });
    await this.start(candidates);
  }

  /** Builds each message's context once, however many workflows it starts. */
  private contextOnce(accountId: number) {
    const built = new Map<number, Promise<object>>();
    const mailbox = this.deps.contexts.mailbox(accountId);
    return (row: Row) => {
      const id = Number(row.get('id'));
      if (!built.has(id))
        built.set(
          id,
          mailbox.then((m) => (m ? this.deps.contexts.received(row, m) : Promise.reject(new Error('mailbox gone')))),
        );
      return built.get(id) as Promise<object>;
    };
  }
}
