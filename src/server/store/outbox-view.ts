import type { MailErrorCode } from '../../shared/error-codes';
import type { MailAddress } from '../../shared/mail-reading-types';
import type { ComposeMode, OutboxState } from '../../shared/mail-sending';
import type { OutboxAttachmentView, OutboxItemView } from '../../shared/mail-sending-types';
import { jsonColumn } from '../db/json-column';

type Row = { get(key: string): unknown };

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v as string);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function toAttachmentView(f: Row): OutboxAttachmentView {
  return {
    id: f.get('id') as number,
    filename: (f.get('filename') as string) || 'attachment',
    contentType: (f.get('contentType') as string) || 'application/octet-stream',
    size: Number(f.get('size') ?? 0),
    inline: !!f.get('inline'),
  };
}

/** The only shape an outbox row leaves the server in: an allow-list (no content, no IMAP bookkeeping). */
export function toOutboxView(row: Row, files: Row[]): OutboxItemView {
  return {
    id: row.get('id') as number,
    accountId: row.get('accountId') as number,
    state: row.get('state') as OutboxState,
    mode: row.get('mode') as ComposeMode,
    sourceMessageId: (row.get('sourceMessageId') as number | null) ?? null,
    messageId: row.get('messageId') as string,
    inReplyTo: (row.get('inReplyTo') as string | null) ?? null,
    references: jsonColumn<string[]>(row.get('references'), []),
    from: jsonColumn<MailAddress>(row.get('from'), { name: '', address: '' }),
    to: jsonColumn<MailAddress[]>(row.get('to'), []),
    cc: jsonColumn<MailAddress[]>(row.get('cc'), []),
    bcc: jsonColumn<MailAddress[]>(row.get('bcc'), []),
    subject: (row.get('subject') as string | null) ?? '',
    html: (row.get('html') as string | null) ?? '',
    quoteHtml: (row.get('quoteHtml') as string | null) ?? null,
    attachments: files.map(toAttachmentView),
    attempts: Number(row.get('attempts') ?? 0),
    lastAttemptAt: iso(row.get('lastAttemptAt')),
    sentAt: iso(row.get('sentAt')),
    failureReason: (row.get('failureReason') as string | null) ?? null,
    failureCode: (row.get('failureCode') as MailErrorCode | null) ?? null,
    rejectedRecipients: jsonColumn<string[]>(row.get('rejectedRecipients'), []),
    copyError: (row.get('copyError') as string | null) ?? null,
    batchId: (row.get('batchId') as string | null) ?? null,
    createdAt: iso(row.get('createdAt')) as string,
    updatedAt: iso(row.get('updatedAt')) as string,
  };
}
