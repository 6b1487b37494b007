/** Names both halves use for the plugin's workflow trigger and node types and their options. */

/** Trigger types, as the workflow plugin stores them in `workflows.type`. */
export const MailWorkflowTrigger = {
  /** New mail stored in a mailbox (after commit, on the node that stored it), once per message. */
  received: 'mailbridge-mail-received',
  /** A message sent through NocoBase (any path), once per message. */
  sent: 'mailbridge-mail-sent',
} as const;

/** Node (instruction) types, as the workflow plugin stores them in `flow_nodes.type`. */
export const MailWorkflowInstruction = {
  sendEmail: 'mailbridge-send-email',
  linkEmail: 'mailbridge-link-email',
  saveAttachments: 'mailbridge-save-attachments',
} as const;

/** Which mailboxes a "Mail received" workflow listens to. */
export const MailboxSelection = {
  /** Every connected mailbox. */
  all: 'all',
  /** The mailboxes listed by id in `accountIds`. */
  accounts: 'accounts',
  /** Mailboxes of users who have one of the roles in `roles`. */
  roles: 'roles',
} as const;
export type MailboxSelection = (typeof MailboxSelection)[keyof typeof MailboxSelection];

/** Which mailbox the "Send email" node sends from. */
export const SendFrom = {
  /** The mailbox of the message that started the workflow. */
  trigger: 'trigger',
  /** The mailbox named by `accountId`. */
  account: 'account',
} as const;
export type SendFrom = (typeof SendFrom)[keyof typeof SendFrom];
