import type { Database } from '@nocobase/database';
import type { ExecutionModel, FlowNodeModel, JobModel, Processor } from '@nocobase/plugin-workflow';
import { OutboxState } from '../../shared/mail-sending';
import type { OutboxItemView } from '../../shared/mail-sending-types';
import { MailWorkflowInstruction, SendFrom } from '../../shared/mail-workflow';
import type { ComposeService } from '../compose/compose-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { mailboxForWorkflow, refused } from './author-rule';
import type { FileManager } from './file-manager';
import type { Log, WorkflowPlugin } from './mail-trigger';
import { readRecordFiles } from './record-files';
import { recipientList, SendEmailConfig, textToHtml, workflowMessageId } from './send-email-config';

/** The workflow plugin's job and execution statuses (constants.js), spelled here so nothing loads it at run time. */
const JOB_STATUS = { PENDING: 0, RESOLVED: 1, FAILED: -1 } as const;
const EXECUTION_STARTED = 0;

/** Waits before each new attempt after a temporary failure (SMTP down, throttled): 30 s, 2 min, 10 min. */
export const DEFAULT_SEND_RETRY_DELAYS_MS = [30_000, 120_000, 600_000];

export interface SendEmailDeps {
  db: Database;
  compose: ComposeService;
  /** The administrator's attachment limit, in MB. */
  maxAttachmentMb(): Promise<number>;
  /** The file manager, for attachments from records; resolved only when a node has some. */
  fileManager(): FileManager;
  log: Log;
  retryDelaysMs?: number[];
}

/** What the node's job holds: the outbox row's outcome, and the reason in words when it failed. */
export interface SendEmailResult {
  state: string;
  outboxId: number | string | null;
  messageId: string | null;
  reason: string | null;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/**
 * "Send email": a message from a mailbox through the outbox (stored first, sent once, retried after a temporary
 * failure), optionally as a reply to the message that started the workflow. Who may send as a mailbox: only a
 * workflow its owner created (the workflow version's author is the mailbox's owner), so nobody with access to the
 * workflow editor writes in another person's name.
 */
export class SendEmailInstruction {
  private readonly waiting = new Set<AbortController>();

  constructor(
    readonly workflow: WorkflowPlugin,
    private readonly deps: SendEmailDeps,
  ) {}

  validateConfig(): null {
    return null;
  }

  async run(node: FlowNodeModel, prevJob: JobModel | null, processor: Processor) {
    const config = processor.getParsedValue(node.config, node.id) as SendEmailConfig;
    const key = [processor.execution.id, node.id, prevJob?.id ?? 0];
    // A synchronous workflow answers a request: one attempt, no waiting to try again (the failed message stays in
    // the outbox for its owner's Retry).
    if (processor.isInstructionSync(node))
      return this.outcome(config, await this.send(config, processor, key, AbortSignal.abort()));

    const job = processor.saveJob({
      status: JOB_STATUS.PENDING,
      nodeId: node.id,
      nodeKey: node.key,
      upstreamId: prevJob?.id ?? null,
    } as never);
    await processor.exit();
    // The execution waits (pending job) while the message is sent and retried, then resumes with the outcome. The
    // waits run beside the workflow engine rather than inside its run, so stopping the app never waits for them:
    // the job stays pending and recoverPending takes it up after the next start.
    const stop = new AbortController();
    this.waiting.add(stop);
    this.send(config, processor, key, stop.signal)
      .then((result) => (stop.signal.aborted ? undefined : this.settle(job.id, config, result)))
      .catch((err: unknown) => this.deps.log.warn('mail workflows: resuming after "Send email" failed', { err }))
      .finally(() => this.waiting.delete(stop));
  }

  /** The app stops: sends waiting to be tried again give up here (their jobs stay pending for the next start). */
  abandonWaits(): void {
    for (const stop of this.waiting) stop.abort();
  }

  /** Resumes the execution with the outcome, unless the job was settled meanwhile (by recoverPending elsewhere). */
  private async settle(jobId: string | number, config: SendEmailConfig, result: SendEmailResult): Promise<void> {
    const saved = (await this.deps.db.getRepository('jobs').findOne({ filterByTk: jobId })) as JobModel | null;
    if (!saved || saved.status !== JOB_STATUS.PENDING) return;
    saved.set(this.outcome(config, result) as never);
    await this.workflow.resume(saved);
  }

  /**
   * After a start: the "Send email" jobs still pending were cut off by a stop or a crash while their message was
   * sent or waited for a retry. Each is sent again under the same Message-ID (so a message that went out is not sent
   * twice; a failed one is queued again) and its execution resumed with the outcome.
   */
  async recoverPending(): Promise<void> {
    const nodes = (await this.deps.db
      .getRepository('flow_nodes')
      .find({ filter: { type: MailWorkflowInstruction.sendEmail } })) as unknown as FlowNodeModel[];
    if (!nodes.length) return;
    const jobs = (await this.deps.db.getRepository('jobs').find({
      filter: { nodeId: nodes.map((n) => n.id), status: JOB_STATUS.PENDING },
    })) as unknown as JobModel[];
    for (const job of jobs) {
      const execution = (await this.deps.db
        .getRepository('executions')
        .findOne({ filterByTk: job.executionId })) as unknown as ExecutionModel | null;
      const node = nodes.find((n) => String(n.id) === String(job.nodeId));
      if (!execution || !node || execution.status !== EXECUTION_STARTED) continue;
      const processor = this.workflow.createProcessor(execution);
      await processor.prepare();
      const config = processor.getParsedValue(node.config, node.id) as SendEmailConfig;
      const key = [execution.id, node.id, job.upstreamId ?? 0];
      await this.settle(job.id, config, await this.send(config, processor, key));
    }
  }

  async resume(_node: FlowNodeModel, job: JobModel) {
    return job;
  }

  private outcome(config: SendEmailConfig, result: SendEmailResult) {
    const ok = result.state === OutboxState.sent || !!config.ignoreFail;
    return { status: ok ? JOB_STATUS.RESOLVED : JOB_STATUS.FAILED, result };
  }

  /** Sends, retrying temporary failures; never throws: a refusal is a failed result saying why. */
  private async send(
    config: SendEmailConfig,
    processor: Processor,
    key: Array<string | number>,
    signal?: AbortSignal,
  ): Promise<SendEmailResult> {
    try {
      const { account, ownerId } = await this.sender(config, processor);
      const messageId = workflowMessageId(key, account.get('address') as string);
      const request = await this.request(config, processor, Number(account.get('id')));
      let view = await this.deps.compose.sendOnce(ownerId, request, messageId);
      for (const delay of this.deps.retryDelaysMs ?? DEFAULT_SEND_RETRY_DELAYS_MS) {
        if (!isTemporaryFailure(view)) break;
        await sleep(delay, signal);
        if (signal?.aborted) break;
        view = await this.deps.compose.sendOnce(ownerId, request, messageId);
      }
      return {
        state: view.state,
        outboxId: view.id,
        messageId: view.messageId,
        reason: view.state === OutboxState.sent ? null : (view.failureReason ?? 'The message was not sent.'),
      };
    } catch (err) {
      const reason = MailError.is(err) ? err.userMessage : 'Sending failed unexpectedly.';
      if (!MailError.is(err)) this.deps.log.warn('mail workflows: "Send email" failed', { err });
      return { state: OutboxState.failed, outboxId: null, messageId: null, reason };
    }
  }

  /** The mailbox to send from, after checking the workflow may send as it. */
  private async sender(config: SendEmailConfig, processor: Processor) {
    const context = (processor.execution.context ?? {}) as { mailbox?: { accountId?: number } };
    const fromTrigger = (config.from ?? SendFrom.trigger) === SendFrom.trigger;
    const rawId = fromTrigger ? context.mailbox?.accountId : config.accountId;
    if (rawId === undefined || rawId === null || rawId === '')
      throw refused(
        fromTrigger
          ? 'This workflow was not started by a mail trigger: choose the mailbox to send from.'
          : 'Choose the mailbox to send from.',
      );
    return mailboxForWorkflow(this.deps.db, processor.execution.workflowId, rawId);
  }

  private async request(config: SendEmailConfig, processor: Processor, accountId: number) {
    const context = (processor.execution.context ?? {}) as { message?: { id?: number } };
    const html = config.contentType === 'text' ? textToHtml(config.text ?? '') : (config.html ?? '');
    const values: Record<string, unknown> = { accountId, subject: config.subject, html };
    for (const field of ['to', 'cc', 'bcc'] as const) {
      const list = recipientList(config[field]);
      // A reply left without recipients answers the sender (the reply rules); otherwise the list is the node's.
      if (list.length || !config.replyToTrigger) values[field] = list;
    }
    if (config.replyToTrigger) {
      if (!context.message?.id)
        throw refused('This workflow was not started by a received message: there is nothing to reply to.');
      values.mode = 'reply';
      values.sourceMessageId = context.message.id;
      values.includeQuote = config.includeQuote !== false;
      if (!config.subject) delete values.subject;
    }
    const uploads = await readRecordFiles(
      this.deps.db,
      this.deps.fileManager,
      config.attachments,
      await this.deps.maxAttachmentMb(),
    );
    return { values, uploads };
  }
}

function isTemporaryFailure(view: OutboxItemView): boolean {
  return view.state === OutboxState.failed && view.failureCode === MailErrorCode.TRANSIENT;
}
