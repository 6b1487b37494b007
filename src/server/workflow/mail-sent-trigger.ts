import type { MailEvents } from '../events';
import { OUTBOX_COLLECTION } from '../store/collection-names';
import { MailTrigger, Row } from './mail-trigger';

/**
 * "Mail sent": a message NocoBase sent (compose, reply, a workflow's "Send email", a retry, a send settled after a
 * restart) starts the workflow once, keyed like received mail with a `sent:` prefix. Options: which mailboxes, as
 * for "Mail received".
 */
export class MailSentTrigger extends MailTrigger {
  onSent = this.listener('handling a sent message', (payload: MailEvents['messageSent']) => this.handle(payload));

  private async handle({ outboxId, accountId, messageId }: MailEvents['messageSent']): Promise<void> {
    const { db, contexts } = this.deps;
    const outbox = (await db.getModel(OUTBOX_COLLECTION).findByPk(outboxId)) as Row | null;
    if (!outbox) return;
    const watched = await this.watching(accountId, () => new Date(0));
    if (!watched) return;
    const { account, workflows } = watched;
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
