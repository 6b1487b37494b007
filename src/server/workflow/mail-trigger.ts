import { createHash } from 'node:crypto';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { WorkflowModel } from '@nocobase/plugin-workflow';
import type { Database } from '@nocobase/database';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';
import type { Delivery, WorkflowDeliveryStore } from '../store/workflow-delivery-store';
import { authoredBy } from './author-rule';
import type { MailContexts } from './mail-context';
import { Mailbox, MailReceivedConfig, watchesMailbox } from './received-filter';

export type WorkflowPlugin = PluginWorkflowServer;

export interface Log {
  warn(message: string, meta?: object): void;
}

export interface MailTriggerDeps {
  db: Database;
  contexts: MailContexts;
}

export type Row = { get(key: string): unknown };

/**
 * What the mail triggers share: the workflow plugin's Trigger contract (on/off as workflows are enabled,
 * validateEvent), implemented without extending its class so that the plugin loads where the workflow plugin is
 * absent; the events handled one after the other on this node; and "start once per message": a delivery is claimed
 * (inserted) before the workflow is triggered, and only a claim that got in triggers it.
 */
export abstract class MailTrigger {
  /** Workflows of this type are asynchronous, as mail events come from background sync. */
  sync = false;
  private readonly workflows = new Map<string | number, WorkflowModel>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly workflow: WorkflowPlugin,
    protected readonly deliveries: WorkflowDeliveryStore,
    protected readonly log: Log,
    protected readonly deps: MailTriggerDeps,
  ) {}

  on(workflow: WorkflowModel): void {
    this.workflows.set(workflow.id, workflow);
  }

  off(workflow: WorkflowModel): void {
    this.workflows.delete(workflow.id);
  }

  validateEvent(): boolean {
    return true;
  }

  validateConfig(): null {
    return null;
  }

  /** The enabled workflows of this trigger type on this node. */
  protected enabled(): WorkflowModel[] {
    return [...this.workflows.values()];
  }

  /**
   * An event listener that queues `handle`, so the code that emitted the event (a sync, a send) goes on at once;
   * it does nothing while no workflow of this type is enabled.
   */
  protected listener<P>(what: string, handle: (payload: P) => Promise<void>): (payload: P) => void {
    return (payload) => {
      if (!this.enabled().length) return;
      this.enqueue(what, () => handle(payload));
    };
  }

  /** The account (null if it is gone), its mailbox and the enabled workflows of its owner that watch it. */
  protected async watching(
    accountId: number,
    connectedSince: (account: Row) => Date,
  ): Promise<{ account: Row; mailbox: Mailbox; workflows: WorkflowModel[] } | null> {
    const account = (await this.deps.db.getModel(ACCOUNTS_COLLECTION).findByPk(accountId)) as Row | null;
    if (!account) return null;
    const mailbox: Mailbox = {
      accountId,
      ownerRoles: await this.deps.contexts.ownerRoles(Number(account.get('userId'))),
      connectedSince: connectedSince(account),
    };
    const watching = this.enabled().filter((w) => watchesMailbox((w.config ?? {}) as MailReceivedConfig, mailbox));
    // Whatever mailboxes a workflow names, it sees only its author's own mail (the author rule, as for the nodes).
    const own = await authoredBy(
      this.deps.db,
      watching.map((w) => w.id),
      Number(account.get('userId')),
    );
    return { account, mailbox, workflows: watching.filter((w) => own.has(String(w.id))) };
  }

  /** Runs `work` after the events before it, without holding up the code that emitted the event. */
  protected enqueue(what: string, work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((err: unknown) => this.log.warn(`mail workflows: ${what} failed`, { err }));
  }

  /** Resolves once the events handed over so far are handled (app stop, tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Claims the deliveries and triggers each claimed one's workflow with its context. */
  protected async start(
    candidates: Array<{ workflow: WorkflowModel; delivery: Delivery; context: () => Promise<object> }>,
  ): Promise<void> {
    const claimed = new Set((await this.deliveries.claim(candidates.map((c) => c.delivery))).map((d) => deliveryId(d)));
    for (const c of candidates) {
      if (!claimed.has(deliveryId(c.delivery))) continue;
      try {
        const context = await c.context();
        await this.workflow.trigger(c.workflow, context, {
          // executions.eventKey is unique: a second guard should a claim ever be given back by mistake.
          eventKey: `mailbridge:${c.workflow.id}:${createHash('sha256').update(deliveryId(c.delivery)).digest('hex').slice(0, 40)}`,
        });
      } catch (err) {
        this.log.warn('mail workflows: starting a workflow failed', { err, workflowId: c.workflow.id });
        await this.deliveries.release(c.delivery).catch(() => undefined);
      }
    }
  }
}

function deliveryId(d: Delivery): string {
  return JSON.stringify([d.workflowKey, d.mailbox, d.messageKey]);
}
