import type { Application } from '@nocobase/server';
import { MailWorkflowInstruction, MailWorkflowTrigger } from '../../shared/mail-workflow';
import type { MailSending } from '../compose/register';
import type { LinkService } from '../links/link-service';
import type { MailServices } from '../services';
import { WorkflowDeliveryStore } from '../store/workflow-delivery-store';
import type { MailReading } from '../sync/register';
import { MailContexts } from './mail-context';
import { MailReceivedTrigger } from './mail-received-trigger';
import { MailSentTrigger } from './mail-sent-trigger';
import type { WorkflowPlugin } from './mail-trigger';
import { SendEmailInstruction } from './send-email-instruction';
import { LinkEmailInstruction } from './link-email-instruction';
import { requireFileManager } from './file-manager';
import { SaveAttachmentsInstruction } from './save-attachments-instruction';

/** Tuning, from the plugin's options (`workflow`); the defaults suit production. */
export interface MailWorkflowOptions {
  /** Waits before each new attempt of a "Send email" node after a temporary failure (default 30 s, 2 min, 10 min). */
  sendRetryDelaysMs?: number[];
}

export interface MailWorkflows {
  received: MailReceivedTrigger;
  sent: MailSentTrigger;
  sendEmail: SendEmailInstruction;
  linkEmail: LinkEmailInstruction;
  saveAttachments: SaveAttachmentsInstruction;
}

/** The workflow plugin when it is there and enabled; the mail triggers and nodes are optional. */
function workflowPlugin(app: Application): WorkflowPlugin | null {
  const plugin = app.pm.get('workflow') as (WorkflowPlugin & { enabled?: boolean }) | undefined;
  return plugin && plugin.enabled !== false && typeof plugin.registerTrigger === 'function' ? plugin : null;
}

/**
 * The "Mail received" and "Mail sent" triggers and the "Send email", "Link email to record" and "Save email
 * attachments" nodes, registered with the workflow plugin if it is installed and enabled (nothing happens
 * otherwise). The file manager is optional too: the nodes that need it fail, saying so, where it is absent. Call once from `load()`, after the reading and sending
 * sides.
 */
export function registerMailWorkflows(
  app: Application,
  services: MailServices,
  reading: MailReading,
  sending: MailSending,
  links: LinkService,
  options: MailWorkflowOptions = {},
): MailWorkflows | null {
  const workflow = workflowPlugin(app);
  if (!workflow) return null;
  const deliveries = new WorkflowDeliveryStore(app.db);
  const contexts = new MailContexts({ db: app.db, bodies: reading.bodies });
  const deps = { db: app.db, contexts };
  const received = new MailReceivedTrigger(workflow, deliveries, app.log, deps);
  const sent = new MailSentTrigger(workflow, deliveries, app.log, deps);
  const fileManager = () => requireFileManager(app);
  const sendEmail = new SendEmailInstruction(workflow, {
    db: app.db,
    compose: sending.compose,
    maxAttachmentMb: sending.maxAttachmentMb,
    fileManager,
    log: app.log,
    retryDelaysMs: options.sendRetryDelaysMs,
  });
  const linkEmail = new LinkEmailInstruction(workflow, { db: app.db, links, log: app.log });
  const saveAttachments = new SaveAttachmentsInstruction(workflow, {
    db: app.db,
    bodies: reading.bodies,
    fileManager,
    log: app.log,
  });
  workflow.registerTrigger(MailWorkflowTrigger.received, received as never);
  workflow.registerTrigger(MailWorkflowTrigger.sent, sent as never);
  workflow.registerInstruction(MailWorkflowInstruction.sendEmail, sendEmail as never);
  workflow.registerInstruction(MailWorkflowInstruction.linkEmail, linkEmail as never);
  workflow.registerInstruction(MailWorkflowInstruction.saveAttachments, saveAttachments as never);
  services.events.on('messagesStored', received.onStored);
  services.events.on('messageSent', sent.onSent);
  app.on('beforeStop', () => {
    sendEmail.abandonWaits();
    return Promise.all([received.idle(), sent.idle()]);
  });
  // In the background: a start does not wait for messages to be sent.
  app.on('afterStart', () => {
    sendEmail
      .recoverPending()
      .catch((err: unknown) => app.log.warn('mail workflows: resuming pending "Send email" jobs failed', { err }));
  });
  return { received, sent, sendEmail, linkEmail, saveAttachments };
}
