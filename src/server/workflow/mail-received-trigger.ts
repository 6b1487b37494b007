import type { Database } from '@nocobase/database';
import type { WorkflowModel } from '@nocobase/plugin-workflow';
import type { MailAddress } from '../../shared/mail-reading-types';
import { jsonColumn } from '../db/json-column';
import type { MailEvents } from '../events';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, MESSAGES_COLLECTION } from '../store/collection-names';
import type { WorkflowDeliveryStore } from '../store/workflow-delivery-store';
import { messageKey } from './delivery-key';
import type { MailContexts } from './mail-context';
import { Log, MailTrigger, WorkflowPlugin } from './mail-trigger';
import { Mailbox, MailReceivedConfig, matchesMail, watchesMailbox } from './received-filter';

type Row = { get(key: string): unknown };

/**
 * "Mail received": new mail stored in a watched mailbox and folder, through the pre-filters, starts the workflow
 * once per workflow and message (keyed by mailbox address + Message-ID). Mail that was in the mailbox before it
 * was connected (received earlier than the account was created) does not, unless the workflow includes existing mail.
 */
export class MailReceivedTrigger extends MailTrigger {
  constructor(
    workflow: WorkflowPlugin,
    deliveries: WorkflowDeliveryStore,
    log: Log,
    private readonly deps: { db: Database; contexts: MailContexts },
  ) {
    super(workflow, deliveries, log);
  }

  /** The `messagesStored` listener: the work is queued, so the sync that stored the mail goes on at once. */
  onStored = (payload: MailEvents['messagesStored']): void => {
    if (!this.enabled().length) return;
    this.enqueue('handling new mail', () => this.handle(payload));
  };

  private async handle({ accountId, folderId, ids }: MailEvents['messagesStored']): Promise<void> {
    const { db } = this.deps;
    const account = (await db.getModel(ACCOUNTS_COLLECTION).findByPk(accountId)) as Row | null;
    const folder = (await db.getModel(FOLDERS_COLLECTION).findByPk(folderId)) as Row | null;
    if (!account || !folder) return;
    const mailbox: Mailbox = {
      accountId,
      ownerRoles: await this.deps.contexts.ownerRoles(Number(account.get('userId'))),
      connectedSince: new Date(account.get('createdAt') as string),
    };
    const workflows = this.enabled().filter((w) => watchesMailbox((w.config ?? {}) as MailReceivedConfig, mailbox));
    if (!workflows.length) return;
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
