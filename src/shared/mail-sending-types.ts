/** Request and response shapes of the sending side. Dates travel as ISO strings; ids as the server gives them. */
import type { MailErrorCode } from './error-codes';
import type { MailAddress } from './mail-reading-types';
import type { ComposeMode, OutboxState } from './mail-sending';

/**
 * Addresses as the composer may send them: `"Ann <ann@x.org>, bob@y.org"`, an array of such strings, or
 * `[{ name, address }]`.
 */
export type AddressInput = string | Array<string | { name?: string; address: string }>;

/** An attachment sent inside a JSON body (the multipart `files` field is the usual way). */
export interface Base64AttachmentInput {
  filename: string;
  contentType?: string;
  /** The file's bytes, base64. */
  content: string;
}

/**
 * `mailMessages:send` and `mailMessages:saveDraft` `values`; with multipart/form-data, the same object as JSON in
 * the `values` field and the files in `files`.
 */
export interface ComposeInput {
  /** The sending account; must be one of the user's. Taken from the source message when omitted on replies. */
  accountId?: number | string;
  mode?: ComposeMode;
  /** The `mailMessages` id replied to or forwarded (required unless mode is `new`). */
  sourceMessageId?: number | string;
  /** Omitted on a reply: the recipients the reply rules give (see `prepare`). */
  to?: AddressInput;
  cc?: AddressInput;
  bcc?: AddressInput;
  /** Omitted on a reply or forward: `Re:` / `Fwd:` plus the original subject. */
  subject?: string;
  /** The user's part of the body; sanitised on the server, and a plain-text part is generated from it. */
  html?: string;
  /** Append the quoted original (reply) or the forwarded message (forward) below `html`. Default true. */
  includeQuote?: boolean;
  /** Forward: which original attachments to carry, by MIME part number; default all of them. */
  forwardParts?: string[];
  /** Continue from a stored draft: the draft is updated with these values (and sent, for `send`). */
  draftId?: number | string;
  /** Stored attachments of the draft to keep, by id; default all. New files come with the request. */
  keepAttachmentIds?: Array<number | string>;
  attachments?: Base64AttachmentInput[];
  /**
   * `send` and `saveDraft`: the record the message is sent from (the "Send email" action). The caller must be able
   * to view it; the message is linked to it, by its Message-ID, when the outbox stores it (a draft keeps its
   * Message-ID when it is sent later, so the sent message is on the record too).
   */
  record?: { collection: string; recordKey: string | number };
}

/** An attachment stored with an outbox message; its bytes come from `mailOutbox:attachment`. */
export interface OutboxAttachmentView {
  id: number | string;
  filename: string;
  contentType: string;
  size: number;
  /** Part of the HTML body (`cid:` image of a quoted message) rather than a listed file. */
  inline: boolean;
}

/** `mailOutbox:list` items, `mailOutbox:get`, and the answer of send / saveDraft / retry / update. */
export interface OutboxItemView {
  id: number | string;
  accountId: number | string;
  state: OutboxState;
  mode: ComposeMode;
  sourceMessageId: number | string | null;
  /** The Message-ID the message is sent with, fixed when it was first stored. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** The user's part of the body, sanitised: what the composer edits. */
  html: string;
  /**
   * The quoted original (reply) or forwarded message, appended below `html` when sent. Display HTML from the
   * reading side: remote images held back as `data-remote-*`, as in `mailMessages:get`.
   */
  quoteHtml: string | null;
  attachments: OutboxAttachmentView[];
  attempts: number;
  lastAttemptAt: string | null;
  sentAt: string | null;
  /** Why the last attempt failed, in words; null unless `failed`. */
  failureReason: string | null;
  failureCode: MailErrorCode | null;
  /** Recipients the server refused while it accepted the others (the message went to the others). */
  rejectedRecipients: string[];
  /** The message is sent (or the draft saved), but its copy in Sent (or Drafts) could not be stored: why. */
  copyError: string | null;
  /** The bulk send it belongs to, if any. */
  batchId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `mailMessages:prepare` (`filterByTk` = source message, `mode`): what the composer starts from. */
export interface ComposeTemplate {
  accountId: number | string;
  mode: ComposeMode;
  sourceMessageId: number | string;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** The quote (reply) or forwarded-message block (forward) the server appends below the user's text. */
  quoteHtml: string;
  inReplyTo: string | null;
  references: string[];
  /** Forward: the original's attachments, carried unless `forwardParts` narrows them. */
  forwardAttachments: Array<{ part: string; filename: string | null; contentType: string; size: number }>;
}

/** One message of a bulk send: its own recipients, subject and body, and the record it is linked to. */
export interface BulkSendItemInput {
  to: AddressInput;
  cc?: AddressInput;
  subject: string;
  html: string;
  record?: { collection: string; recordKey: string | number };
}

/** `mailMessages:sendBulk` values. */
export interface BulkSendInput {
  accountId: number | string;
  items: BulkSendItemInput[];
}

/** Its answer (202): the batch, every message `queued`; `mailOutbox:list?batchId=` follows them. */
export interface BulkSendView {
  batchId: string;
  items: OutboxItemView[];
}
