import type { Database } from '@nocobase/database';
import type { FlowNodeModel, Processor } from '@nocobase/plugin-workflow';
import { MailError } from '../errors/mail-error';
import type { LinkService } from '../links/link-service';
import { mailboxForWorkflow, refused } from './author-rule';
import type { Log, WorkflowPlugin } from './mail-trigger';

const JOB_STATUS = { RESOLVED: 1, FAILED: -1 } as const;

/** The "Link email to record" node's options after the workflow engine replaced its variables. */
export interface LinkEmailConfig {
  /** The collection of the record (main data source). */
  collection?: string;
  /** The record's key, usually a variable (`{{$jobsMapByNodeKey.<node>.id}}`). */
  recordKey?: unknown;
  /** Link the whole conversation rather than the message. */
  whole?: boolean;
  /** A link that cannot be made resolves the node instead of failing it (its result still says why). */
  ignoreFail?: boolean;
}

/**
 * "Link email to record": links the message that started the workflow (or its conversation) to a record, as its
 * mailbox's owner would (`plugin.links`), under the same rule as "Send email": the workflow's author owns the mailbox.
 */
export class LinkEmailInstruction {
  constructor(
    readonly workflow: WorkflowPlugin,
    private readonly deps: { db: Database; links: LinkService; log: Log },
  ) {}

  validateConfig(): null {
    return null;
  }

  async run(node: FlowNodeModel, _prevJob: unknown, processor: Processor) {
    const config = processor.getParsedValue(node.config, node.id) as LinkEmailConfig;
    try {
      const context = (processor.execution.context ?? {}) as {
        message?: { id?: number };
        mailbox?: { accountId?: number };
      };
      if (!context.message?.id || !context.mailbox?.accountId)
        throw refused('This workflow was not started by a received message: there is no message to link.');
      const { ownerId } = await mailboxForWorkflow(
        this.deps.db,
        processor.execution.workflowId,
        context.mailbox.accountId,
      );
      const link = await this.deps.links.link({
        userId: ownerId,
        messageRowId: context.message.id,
        collection: config.collection,
        recordKey: config.recordKey,
        whole: !!config.whole,
      });
      return { status: JOB_STATUS.RESOLVED, result: { ...link, reason: null } };
    } catch (err) {
      if (!MailError.is(err)) this.deps.log.warn('mail workflows: "Link email to record" failed', { err });
      const reason = MailError.is(err) ? err.userMessage : 'Linking failed unexpectedly.';
      return { status: config.ignoreFail ? JOB_STATUS.RESOLVED : JOB_STATUS.FAILED, result: { reason } };
    }
  }
}
