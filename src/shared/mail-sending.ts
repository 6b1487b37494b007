/** Names and enums of the sending side (compose, outbox, drafts) that both halves of the plugin use. */

export const MAIL_OUTBOX_RESOURCE = 'mailOutbox';

/** Sending actions added to the `mailMessages` resource. */
export const MailMessagesSendAction = {
  /** Sends a new message, a reply, a reply-all or a forward (`values.mode`); stored in the outbox first. */
  send: 'send',
  /** Stores the message as a draft (outbox row + a copy in the account's Drafts folder). */
  saveDraft: 'saveDraft',
  /** What the composer starts from for a reply or forward: recipients, subject, quote, attachments. */
  prepare: 'prepare',
  /** One new message per item (its own recipients, subject, text and record), sent in the background at the mailbox's rate. */
  sendBulk: 'sendBulk',
} as const;

/** At most this many messages in one bulk send. */
export const BULK_SEND_MAX = 200;

export const MailOutboxAction = {
  list: 'list',
  get: 'get',
  /** Sends a failed or queued message again; never sends one that was already sent. */
  retry: 'retry',
  /** Edits a draft or a failed message. */
  update: 'update',
  /** Deletes a draft or a failed message (and the draft's copy in Drafts). */
  destroy: 'destroy',
  /** Streams one stored attachment. */
  attachment: 'attachment',
} as const;

/** Where an outgoing message is. */
export const OutboxState = {
  draft: 'draft',
  /** Stored and about to be sent. */
  queued: 'queued',
  /** An SMTP transaction for it is running (or was cut off mid-way). */
  sending: 'sending',
  sent: 'sent',
  /** The last attempt failed; `failureReason` says why. It can be edited and retried. */
  failed: 'failed',
} as const;
export type OutboxState = (typeof OutboxState)[keyof typeof OutboxState];

export const ComposeMode = { new: 'new', reply: 'reply', replyAll: 'replyAll', forward: 'forward' } as const;
export type ComposeMode = (typeof ComposeMode)[keyof typeof ComposeMode];

/** Total attachment size when the settings do not say otherwise, in MB. */
export const DEFAULT_MAX_ATTACHMENT_MB = 20;
/** Outlook refuses more than 500 recipients in one message. */
export const MAX_RECIPIENTS = 500;
