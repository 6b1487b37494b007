import type { LockManager } from '@nocobase/lock-manager';
import type { MailAddress } from '../../shared/mail-reading-types';
import { OutboxState } from '../../shared/mail-sending';
import { MailErrorCode } from '../errors/mail-error';
import { SmtpSendError, SmtpEndpoint, SmtpTokenSource, sendOverSmtp } from '../transport/smtp/send-smtp';
import { buildMime, BuiltMessage } from './build-mime';
import { htmlToText } from './html-to-text';
import type { ImapCopyRef, MailboxCopies } from './mailbox-copies';
import { jsonColumn } from '../db/json-column';
import { quoteForSending } from './outgoing-html';
import { OutboxStore, outboxNotFound, Row } from './outbox-store';

export interface OutboxSenderDeps {
  store: OutboxStore;
  lockManager: LockManager;
  lockPrefix: string;
  copies: MailboxCopies;
  smtpEndpoint(accountId: number): Promise<SmtpEndpoint>;
  tokens(accountId: number): SmtpTokenSource;
  /** Whether the plugin appends the Sent copy (servers that, unlike Outlook, do not file one themselves). */
  appendSentCopy(): Promise<boolean>;
  /** The account's status after SMTP refused a fresh token: the user must reconnect. */
  markReconnect(accountId: number, reason: string): Promise<void>;
  /** The mailbox changed (a copy appended): sync it so the Sent folder shows the message. */
  resync(accountId: number): void;
  log?: { warn(message: string, meta?: object): void };
  /** Longest one send may hold the message's lock (cluster lock adapters expire it). */
  lockTtlMs?: number;
}

/** The body as sent: the user's part, then the quote with its images and remote content restored for mail. */
export function fullHtml(row: Row, cidForPart: (part: string) => string | null): string {
  const html = (row.get('html') as string | null) ?? '';
  const quote = row.get('quoteHtml') as string | null;
  return quote ? `${html}${html ? '<br>' : ''}${quoteForSending(quote, cidForPart)}` : html;
}

/** The message as stored, as MIME: the same Message-ID on every attempt. */
export async function buildFromRow(store: OutboxStore, row: Row, date = new Date()): Promise<BuiltMessage> {
  const files = await store.fileContents(Number(row.get('id')));
  // Images of the quoted message were carried as inline parts whose Content-ID names their original part.
  const byPart = new Map(files.filter((f) => f.inline && f.contentId).map((f) => [partOfCid(f.contentId as string), f.contentId as string]));
  const html = fullHtml(row, (part) => byPart.get(part) ?? null);
  return buildMime({
    from: jsonColumn<MailAddress>(row.get('from'), { name: '', address: '' }),
    to: jsonColumn<MailAddress[]>(row.get('to'), []),
    cc: jsonColumn<MailAddress[]>(row.get('cc'), []),
    bcc: jsonColumn<MailAddress[]>(row.get('bcc'), []),
    subject: (row.get('subject') as string | null) ?? '',
    html,
    text: htmlToText(html),
    messageId: row.get('messageId') as string,
    inReplyTo: (row.get('inReplyTo') as string | null) ?? null,
    references: jsonColumn<string[]>(row.get('references'), []),
    date,
    attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content, contentId: f.contentId, inline: f.inline })),
  });
}

/** Content-IDs of carried inline parts are `part-<n>.<random>@mailbridge`: the part number is recoverable. */
export function cidForCarriedPart(part: string, nonce: string): string {
  return `part-${part}.${nonce}@mailbridge`;
}

function partOfCid(cid: string): string {
  return /^part-([0-9.]+)\.[^@]+@mailbridge$/.exec(cid)?.[1] ?? '';
}

const DEFAULT_LOCK_TTL_MS = 5 * 60_000;

/**
 * Sends outbox rows. The row's lock is held for the whole attempt and its state re-read inside it: a row already
 * `sent` is never sent again, and concurrent retries (any node) deliver once. A row found `sending` inside the
 * lock is one whose attempt was cut off (process stopped mid-send): whether it reached the server is unknown, so
 * it is not resent by itself; it becomes `failed` with that explanation and the user decides.
 */
export class OutboxSender {
  constructor(private readonly deps: OutboxSenderDeps) {}

  async deliver(id: number): Promise<Row> {
    return this.deps.lockManager.runExclusive(`${this.deps.lockPrefix}:outbox:${id}`, () => this.attempt(id), this.deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS);
  }

  private async attempt(id: number): Promise<Row> {
    const { store } = this.deps;
    const row = await store.get(id);
    if (!row) throw outboxNotFound();
    const state = row.get('state') as string;
    if (state === OutboxState.sent || state === OutboxState.draft) return row;
    if (state === OutboxState.sending) {
      await store.update(id, {
        state: OutboxState.failed,
        failureCode: MailErrorCode.TRANSIENT,
        failureReason: 'Sending was interrupted before the server confirmed it, so the message may or may not have gone out. Check Sent Items (or ask a recipient) before sending it again.',
      });
      return (await store.get(id)) as Row;
    }
    const accountId = Number(row.get('accountId'));
    const attempts = Number(row.get('attempts') ?? 0) + 1;
    await store.update(id, { state: OutboxState.sending, attempts, lastAttemptAt: new Date() });

    let built: BuiltMessage;
    let rejected: string[] = [];
    try {
      built = await buildFromRow(store, row);
      const result = await sendOverSmtp({
        endpoint: await this.deps.smtpEndpoint(accountId),
        tokens: this.deps.tokens(accountId),
        envelope: built.envelope,
        raw: built.raw,
      });
      rejected = result.rejected;
    } catch (err) {
      await this.recordFailure(id, accountId, err);
      return (await store.get(id)) as Row;
    }
    await store.update(id, {
      state: OutboxState.sent,
      sentAt: new Date(),
      failureReason: null,
      failureCode: null,
      rejectedRecipients: rejected,
    });
    await this.afterSent(id, row, built.raw);
    return (await store.get(id)) as Row;
  }

  private async recordFailure(id: number, accountId: number, err: unknown): Promise<void> {
    const sendError = err instanceof SmtpSendError ? err : null;
    const failure = sendError?.failure;
    const error = failure?.error;
    let reason = error?.userMessage ?? 'Sending failed unexpectedly. Try again later.';
    if (sendError?.mayHaveBeenDelivered) {
      reason = `The connection to the mail server broke while it was receiving the message, so it may have gone out. Check Sent Items before sending it again. (${reason})`;
    }
    if (failure?.kind === 'auth') await this.deps.markReconnect(accountId, error!.userMessage).catch(() => undefined);
    if (!sendError) this.deps.log?.warn('mail sending: unexpected failure', { err });
    await this.deps.store.update(id, {
      state: OutboxState.failed,
      failureReason: reason,
      failureCode: error?.code ?? MailErrorCode.TRANSIENT,
      rejectedRecipients: failure?.rejected ?? [],
    });
  }

  /** The message is out: the Sent copy, the replaced draft and `\Answered` follow; none of them can unsend it. */
  private async afterSent(id: number, row: Row, raw: Buffer): Promise<void> {
    const accountId = Number(row.get('accountId'));
    const problems: string[] = [];
    if (await this.deps.appendSentCopy()) {
      try {
        await this.deps.copies.appendSent(accountId, raw);
      } catch (err) {
        problems.push('The message was sent, but its copy could not be stored in the Sent folder.');
        this.deps.log?.warn('mail sending: appending the Sent copy failed', { err });
      }
    }
    const draft = draftRef(row);
    if (draft) {
      await this.deps.copies.removeCopy(accountId, draft).catch((err) => this.deps.log?.warn('mail sending: removing the sent draft failed', { err }));
      await this.deps.store.update(id, { draftFolderPath: null, draftUid: null, draftUidValidity: null });
    }
    const source = row.get('sourceMessageId');
    const mode = row.get('mode');
    if (source && (mode === 'reply' || mode === 'replyAll')) {
      await this.deps.copies.markAnswered(Number(source)).catch((err) => this.deps.log?.warn('mail sending: setting \\Answered failed', { err }));
    }
    if (problems.length) await this.deps.store.update(id, { copyError: problems.join(' ') });
    this.deps.resync(accountId);
  }
}

export function draftRef(row: Row): ImapCopyRef | null {
  const path = row.get('draftFolderPath') as string | null;
  const uid = row.get('draftUid');
  const uidValidity = row.get('draftUidValidity') as string | null;
  return path && uid && uidValidity ? { path, uid: Number(uid), uidValidity } : null;
}
