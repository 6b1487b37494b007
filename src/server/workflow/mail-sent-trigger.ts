import type { Database } from '@nocobase/database';
import type { MailEvents } from '../events';
import { ACCOUNTS_COLLECTION, OUTBOX_COLLECTION } from '../store/collection-names';
import type { WorkflowDeliveryStore } from '../store/workflow-delivery-store';
import type { MailContexts } from './mail-context';
import { Log, MailTrigger, WorkflowPlugin } from './mail-trigger';
import { MailReceivedConfig, watchesMailbox } from './received-filter';

type Row = { get(key: string): unknown };

/**
 * "Mail sent": a message NocoBase sent (compose, reply, a workflow's "Send email", a retry, a send settled after a
 * restart) starts the workflow once, keyed like received mail with a `sent:` prefix. Options: which mailboxes, as
 * for "Mail received".
 */
export class MailSentTrigger extends MailTrigger {
  constructor(
    workflow: WorkflowPlugin,
    deliveries: WorkflowDeliveryStore,
    log: Log,
    private readonly deps: { db: Database; contexts: MailContexts },
  ) {
    super(workflow, deliveries, log);
  }

  onSent = (payload: MailEvents['messageSent']): void => {
    if (!this.enabled().length) return;
    this.enqueue('handling a sent message', () => this.handle(payload));
  };

  private async handle({ outboxId, accountId, messageId }: MailEvents['messageSent']): Promise<void> {
    const { db, contexts } = this.deps;
    const account = (await db.getModel(ACCOUNTS_COLLECTION).findByPk(accountId)) as Row | null;
    const outbox = (await db.getModel(OUTBOX_COLLECTION).findByPk(outboxId)) as Row | null;
    if (!account || !outbox) return;
    const mailbox = {
      accountId,
      ownerRoles: await contexts.ownerRoles(Number(account.get('userId'))),
      connectedSince: new Date(0),
    };
    const workflows = this.enabled().filter((w) => watchesMailbox((w.config ?? {}) as MailReceivedConfig, mailbox));
    const view = await contexts.mailbox(accountId);
    if (!view) return;
    await this.start(
      workflows.map((w) => ({
        workflow: w,
        delivery: {
          workflowKey: w.key,
          mailbox: (account.get('address') as string).toLowerCase(),
          messageKey: `sent:${messageId}`,
        },
        context: async () => contexts.sent(outbox, view),
      })),
    );
  }
}
