import type { MailAddress } from '../../shared/mail-reading-types';
import { OutboxState } from '../../shared/mail-sending';
import type { Locks } from '../cluster/database-locks';
import { MailErrorCode } from '../errors/mail-error';
import type { MailEventStream } from '../events';
import { SmtpSendError, SmtpEndpoint, SmtpTokenSource, sendOverSmtp } from '../transport/smtp/send-smtp';
import { buildMime, BuiltMessage } from './build-mime';
import { htmlToText } from './html-to-text';
import type { ImapCopyRef, MailboxCopies } from './mailbox-copies';
import { jsonColumn } from '../db/json-column';
import { quoteForSending } from './outgoing-html';
import { OutboxStore, outboxNotFound, Row } from '../store/outbox-store';

export interface OutboxSenderDeps {
  store: OutboxStore;
  /** Cluster-wide. */
  locks: Locks;
  lockPrefix: string;
  copies: MailboxCopies;
  /** Where the account sends, and whether that server files its own copy in Sent (else the plugin appends one). */
  smtpEndpoint(accountId: number): Promise<SmtpEndpoint & { savesSentCopy: boolean }>;
  tokens(accountId: number): SmtpTokenSource;
  /** The account's status after SMTP refused a fresh token: the user must reconnect. */
  markReconnect(accountId: number, reason: string): Promise<void>;
  /** Told of each message the server took (`messageSent`), once. */
  events: MailEventStream;
  /** The mailbox changed (a copy appended): sync it so the Sent folder shows the message. */
  resync(accountId: number): void;
  log?: { warn(message: string, meta?: object): void };
  /** Longest one send may hold the message's lock (cluster lock adapters expire it). */
  lockTtlMs?: number;
  /** See DEFAULT_SEND_WINDOW_MS. */
  sendWindowMs?: number;
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
  const byPart = new Map(
    files.filter((f) => f.inline && f.contentId).map((f) => [partOfCid(f.contentId as string), f.contentId as string]),
  );
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
    attachments: files.map((f) => ({
      filename: f.filename,
      contentType: f.contentType,
      content: f.content,
      contentId: f.contentId,
      inline: f.inline,
    })),
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
 * How long after an attempt started a row still `sending` may belong to a live send (SMTP's connection and
 * socket timeouts, 30 s + 120 s, with room for a slow upload): only after it is such a row settled without the
 * server's word. Longer than the lock's TTL, so an expired lock never lets a second attempt judge a live one.
 */
export const DEFAULT_SEND_WINDOW_MS = 10 * 60_000;

const NOT_IN_SENT =
  'Sending was interrupted before the server accepted the message: it is not in the Sent folder, so it did not go out. Send it again with Retry.';
const MAYBE_SENT =
  'Sending was interrupted before the server confirmed it, so the message may or may not have gone out. Check Sent Items (or ask a recipient) before sending it again.';

/**
 * Sends outbox rows. A row is sent only by the attempt whose compare-and-set took it from `queued` to `sending`,
 * and the row's lock is held around that attempt: a row already `sent` is never sent again, and concurrent
 * retries (any node) deliver once. A row found `sending` is either a live attempt (another node, or one whose
 * lock expired) or one cut off by a crash; it is settled by the server's word (its Message-ID in the Sent folder:
 * sent) and, once the send window has passed without that, it becomes `failed` for the user to retry.
 */
export class OutboxSender {
  constructor(private readonly deps: OutboxSenderDeps) {}

  get sendWindowMs(): number {
    return this.deps.sendWindowMs ?? DEFAULT_SEND_WINDOW_MS;
  }

  /** Sends a `queued` row; settles a `sending` one if it can; answers any other row as it is. */
  async deliver(id: number): Promise<Row> {
    return this.deps.locks.runExclusive(this.lockKey(id), () => this.attempt(id), this.lockTtl);
  }

  /**
   * `deliver` if no attempt holds the row now; otherwise the row as it is (a live send here or on another node, or
   * the lease of a node that died mid-send, which lasts up to the lock's TTL). For a person's Retry or Delete and
   * for the background settling: none of them may wait minutes for such a lease to run out.
   */
  async deliverIfFree(id: number): Promise<Row> {
    let lock: Awaited<ReturnType<Locks['tryAcquire']>>;
    try {
      lock = await this.deps.locks.tryAcquire(this.lockKey(id));
    } catch {
      const row = await this.deps.store.get(id);
      if (!row) throw outboxNotFound();
      return row;
    }
    return lock.runExclusive(() => this.attempt(id), this.lockTtl);
  }

  private lockKey(id: number): string {
    return `${this.deps.lockPrefix}:outbox:${id}`;
  }

  private get lockTtl(): number {
    return this.deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  }

  private async attempt(id: number): Promise<Row> {
    const { store } = this.deps;
    const row = await store.get(id);
    if (!row) throw outboxNotFound();
    const state = row.get('state') as string;
    if (state === OutboxState.sending) return this.settle(row);
    if (state !== OutboxState.queued) return row;
    const accountId = Number(row.get('accountId'));
    const attempts = Number(row.get('attempts') ?? 0) + 1;
    const claimed = await store.transition(id, [OutboxState.queued], {
      state: OutboxState.sending,
      attempts,
      lastAttemptAt: new Date(),
    });
    if (!claimed) return (await store.get(id)) as Row;

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
    // The server has the message: that is the truth, even if a slow attempt was settled as failed meanwhile.
    await store.transition(id, [OutboxState.sending, OutboxState.failed, OutboxState.queued], {
      state: OutboxState.sent,
      sentAt: new Date(),
      failureReason: null,
      failureCode: null,
      rejectedRecipients: rejected,
    });
    await this.afterSent(id, row, built.raw);
    return (await store.get(id)) as Row;
  }

  /**
   * A row left `sending`. Found in Sent: it went out. Not found and the send window has passed: `failed`, saying
   * whether the Sent folder proves it did not go out (the server files every submitted message there itself) or
   * the user must check. Otherwise it is left as it is: the attempt may still be running.
   */
  private async settle(row: Row): Promise<Row> {
    const id = Number(row.get('id'));
    const accountId = Number(row.get('accountId'));
    let inSent: boolean | null = null;
    try {
      inSent = await this.deps.copies.isInSent(accountId, row.get('messageId') as string);
    } catch (err) {
      this.deps.log?.warn('mail sending: looking for an interrupted message in Sent failed', { err });
    }
    if (inSent) {
      const settled = await this.deps.store.transition(id, [OutboxState.sending], {
        state: OutboxState.sent,
        sentAt: new Date(),
        failureReason: null,
        failureCode: null,
      });
      if (settled) await this.afterSent(id, row, null);
      return (await this.deps.store.get(id)) as Row;
    }
    const startedAt = new Date((row.get('lastAttemptAt') as string | Date | null) ?? 0).getTime();
    if (Date.now() - startedAt < this.sendWindowMs) return row;
    // Where the plugin appends the Sent copy itself, a crash between SMTP and that append leaves no trace there.
    // An account whose endpoint cannot be read counts as one without that proof.
    const serverFiles = await this.deps.smtpEndpoint(accountId).then(
      (e) => e.savesSentCopy,
      () => false,
    );
    const proof = inSent === false && serverFiles;
    await this.deps.store.transition(id, [OutboxState.sending], {
      state: OutboxState.failed,
      failureCode: MailErrorCode.TRANSIENT,
      failureReason: proof ? NOT_IN_SENT : MAYBE_SENT,
    });
    return (await this.deps.store.get(id)) as Row;
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
    await this.deps.store.transition(id, [OutboxState.sending], {
      state: OutboxState.failed,
      failureReason: reason,
      failureCode: error?.code ?? MailErrorCode.TRANSIENT,
      rejectedRecipients: failure?.rejected ?? [],
    });
  }

  /**
   * The message is out: the Sent copy (unless `raw` is null: it is there already), the replaced draft and
   * `\Answered` follow; none of them can unsend it.
   */
  private async afterSent(id: number, row: Row, raw: Buffer | null): Promise<void> {
    const accountId = Number(row.get('accountId'));
    await this.deps.events.emit('messageSent', { outboxId: id, accountId, messageId: row.get('messageId') as string });
    const problems: string[] = [];
    // The account gone meanwhile (a disconnect) has no mailbox to copy to.
    const serverFiles = await this.deps.smtpEndpoint(accountId).then(
      (e) => e.savesSentCopy,
      () => true,
    );
    if (raw && !serverFiles) {
      try {
        await this.deps.copies.appendSent(accountId, raw);
      } catch (err) {
        problems.push('The message was sent, but its copy could not be stored in the Sent folder.');
        this.deps.log?.warn('mail sending: appending the Sent copy failed', { err });
      }
    }
    const draft = draftRef(row);
    if (draft) {
      await this.deps.copies
        .removeCopy(accountId, draft)
        .catch((err) => this.deps.log?.warn('mail sending: removing the sent draft failed', { err }));
      await this.deps.store.update(id, { draftFolderPath: null, draftUid: null, draftUidValidity: null });
    }
    const source = row.get('sourceMessageId');
    const mode = row.get('mode');
    if (source && (mode === 'reply' || mode === 'replyAll')) {
      await this.deps.copies
        .markAnswered(Number(source))
        .catch((err) => this.deps.log?.warn('mail sending: setting \\Answered failed', { err }));
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
