import type { Application } from '@nocobase/client';
import { MailWorkflowInstruction, MailWorkflowTrigger } from '../../shared/mail-workflow';
import { k, tval } from '../locale';
import {
  LINK_EMAIL_FIELDSET,
  MAIL_RECEIVED_FIELDSET,
  MAIL_SENT_FIELDSET,
  SAVE_ATTACHMENTS_FIELDSET,
  SEND_EMAIL_FIELDSET,
} from './fieldsets';
import { MAIL_RECEIVED_VARIABLES, MAIL_SENT_VARIABLES, VariableOption } from './variables';

/** What this plugin uses of the workflow plugin's client (`@nocobase/plugin-workflow/client`). */
interface WorkflowClient {
  registerTrigger(type: string, trigger: object): void;
  registerInstruction(type: string, instruction: (new () => object) | object): void;
}

/**
 * The workflow client takes an instruction as a class it instantiates (or an instance of its own `Instruction`,
 * which would mean loading its module): a plain object is refused ("invalid instruction type to register").
 */
function instructionClass(options: object): new () => object {
  return class {
    constructor() {
      Object.assign(this, options);
    }
  };
}

function trigger(title: string, description: string, fieldset: object, variables: VariableOption[]) {
  return {
    title: tval(title),
    description: tval(description),
    sync: false,
    fieldset,
    validate: () => true,
    useVariables: () => variables,
  };
}

/**
 * The triggers and the nodes in the v1 workflow editor, when the workflow plugin is enabled (nothing otherwise).
 * Objects (instructions: classes) with the Trigger / Instruction shape, so nothing loads the workflow plugin's
 * client module.
 */
export function registerMailWorkflowUI(app: Application): void {
  const workflow = (app.pm.get('workflow') ?? app.pm.get('@nocobase/plugin-workflow')) as WorkflowClient | undefined;
  if (!workflow || typeof workflow.registerTrigger !== 'function') return;
  workflow.registerTrigger(
    MailWorkflowTrigger.received,
    trigger(
      k('Mail received'),
      k('Runs once for each new message in the chosen mailboxes and folders.'),
      MAIL_RECEIVED_FIELDSET,
      MAIL_RECEIVED_VARIABLES,
    ),
  );
  workflow.registerTrigger(
    MailWorkflowTrigger.sent,
    trigger(
      k('Mail sent'),
      k('Runs once for each message sent through NocoBase.'),
      MAIL_SENT_FIELDSET,
      MAIL_SENT_VARIABLES,
    ),
  );
  workflow.registerInstruction(
    MailWorkflowInstruction.sendEmail,
    instructionClass({
      type: MailWorkflowInstruction.sendEmail,
      title: tval('Send email (mailbox)'),
      group: 'extended',
      description: tval('Sends a message from a connected mailbox through its outbox, or replies to the received one.'),
      fieldset: SEND_EMAIL_FIELDSET,
      isAvailable: () => true,
    }),
  );
  workflow.registerInstruction(
    MailWorkflowInstruction.linkEmail,
    instructionClass({
      type: MailWorkflowInstruction.linkEmail,
      title: tval('Link email to record'),
      group: 'extended',
      description: tval('Links the message that started the workflow, or its conversation, to a record.'),
      fieldset: LINK_EMAIL_FIELDSET,
      isAvailable: () => true,
    }),
  );
  // Offered even where the file manager is off: the node then fails saying it is needed (the server's check).
  workflow.registerInstruction(
    MailWorkflowInstruction.saveAttachments,
    instructionClass({
      type: MailWorkflowInstruction.saveAttachments,
      title: tval('Save email attachments'),
      group: 'extended',
      description: tval(
        "Stores the received message's attachments as files of the file manager, for an attachment field of a later node.",
      ),
      fieldset: SAVE_ATTACHMENTS_FIELDSET,
      isAvailable: () => true,
      // Its result in later nodes' variable menus (Node result → this node → Files).
      useVariables: (node: { key: string; title?: string }) => ({
        key: node.key,
        value: node.key,
        label: node.title || tval('Save email attachments'),
        children: [{ key: 'files', value: 'files', label: tval('Files') }],
      }),
    }),
  );
}
