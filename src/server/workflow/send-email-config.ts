import { SendFrom } from '../../shared/mail-workflow';

/** The "Send email" node's options after the workflow engine replaced its variables. */
export interface SendEmailConfig {
  from?: SendFrom;
  /** With `from: account`: the mailbox (mailAccounts id) to send from. */
  accountId?: number | string;
  to?: unknown;
  cc?: unknown;
  bcc?: unknown;
  subject?: string;
  /** `html` (default) or `text`. */
  contentType?: 'html' | 'text';
  html?: string;
  text?: string;
  /** Answer the message that started the workflow: threading headers, "Re:", the quote, `\Answered`. */
  replyToTrigger?: boolean;
  /** With `replyToTrigger`: quote the original below the body (default true). */
  includeQuote?: boolean;
  /** Files of the file manager to attach: a row of an attachment field, a list of rows, or ids (a variable). */
  attachments?: unknown;
  /** A failed send resolves the node instead of failing it (its result still says why). */
  ignoreFail?: boolean;
}

/** Recipients as variables give them: a string (`a@x, b@y`), an address object, or lists of those, nested. */
export function recipientList(raw: unknown): unknown[] {
  const flat = (Array.isArray(raw) ? raw : [raw]).flat(Infinity as 1);
  return flat.filter((v) => v !== undefined && v !== null && v !== '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** A plain-text body as HTML: escaped, one paragraph per blank-line block, line breaks kept. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${p.replace(/[&<>"]/g, (c) => ESCAPES[c]).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}

/** A Message-ID owned by one run of one node: the same run sends it once, whatever re-runs the node. */
export function workflowMessageId(parts: Array<string | number>, address: string): string {
  const domain = address.split('@').pop()?.toLowerCase() || 'localhost';
  return `<workflow.${parts.join('.')}@${domain}>`;
}
