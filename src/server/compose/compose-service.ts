import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MailAttachmentMeta, MailMessageView } from '../../shared/mail-reading-types';
import { ComposeMode, OutboxState } from '../../shared/mail-sending';
import type { ComposeTemplate, OutboxItemView } from '../../shared/mail-sending-types';
import type { AccountService } from '../accounts/account-service';
import { MailError, MailErrorCode, invalidInput } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import type { MessageBodies } from '../messages/message-body';
import { parseImapError } from '../transport/imap/parse-imap-error';
import {
  checkAttachmentTotal,
  parseBase64Attachments,
  parseHtml,
  parseIdList,
  parseMode,
  parseRecipients,
  parseSubject,
  Recipients,
} from './compose-input';
import { cleanHeaderText } from './header-text';
import type { MailboxCopies } from './mailbox-copies';
import { buildFromRow, cidForCarriedPart, draftRef, OutboxSender } from './outbox-sender';
import { EDITABLE_STATES, NewFile, notEditable, OnStored, OutboxStore, Row, UserId } from '../store/outbox-store';
import { inlineParts, sanitizeOutgoingHtml } from './outgoing-html';
import { quoteBlock } from './quote';
import { replyHeaders, ReplyHeaders } from './reply-rules';
import { jsonColumn } from '../db/json-column';

export interface ComposeServiceDeps {
  accounts: AccountService;
  bodies: MessageBodies;
  store: OutboxStore;
  sender: OutboxSender;
  copies: MailboxCopies;
  maxAttachmentMb(): Promise<number>;
  log?: { warn(message: string, meta?: object): void };
}

/** A request's values and its uploaded files. */
export interface ComposeRequest {
  values: Record<string, unknown>;
  uploads: NewFile[];
}

interface Source {
  view: MailMessageView;
  headers: ReplyHeaders;
}

/** Everything validated and fetched, ready to store: nothing has been written yet. */
interface Prepared {
  values: Record<string, unknown>;
  keepFileIds: number[] | null;
  files: NewFile[];
  draft: Row | null;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      throw new MailError(
        MailErrorCode.INVALID_INPUT,
        'The forwarded attachments are larger than the attachment limit.',
        { status: 413 },
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The domain a Message-ID is minted under (RFC 5322 §3.6.4 id-right): the sending mailbox's. */
function newMessageId(address: string): string {
  const domain = address.split('@').pop()?.toLowerCase() || 'localhost';
  return `<${randomUUID()}@${domain}>`;
}

function truthy(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null || v === '') return fallback;
  return v === true || v === 'true' || v === '1' || v === 1;
}

/**
 * Compose, reply, reply all, forward and drafts. Every request is validated and its forwarded parts fetched
 * before anything is stored, so a refused request leaves nothing behind; then the message is stored in the outbox
 * and (unless it is a draft) sent from there.
 */
export class ComposeService {
  constructor(private readonly deps: ComposeServiceDeps) {}

  /** `onStored` runs in the transaction that stores the message, before it is sent (see OnStored). */
  async send(userId: UserId, request: ComposeRequest, onStored?: OnStored): Promise<OutboxItemView> {
    const prepared = await this.prepare(userId, request, false);
    const id = await this.store(prepared, OutboxState.queued, onStored);
    const row = await this.deps.sender.deliver(id);
    return this.deps.store.view(row);
  }

  /**
   * Sends once per `messageId` (a caller's own key, e.g. a workflow job's): a second call with the same id finds
   * the stored row and delivers that (a failed one is queued again), rather than storing a second message.
   */
  async sendOnce(userId: UserId, request: ComposeRequest, messageId: string): Promise<OutboxItemView> {
    const existing = await this.deps.store.byMessageId(messageId);
    if (existing) return this.resend(existing);
    const prepared = await this.prepare(userId, request, false);
    prepared.values.messageId = messageId;
    let id: number;
    try {
      id = await this.store(prepared, OutboxState.queued);
    } catch (err) {
      // Two calls with the same id at once: the unique Message-ID lets one store it; the other delivers that one.
      const stored = await this.deps.store.byMessageId(messageId);
      if (!stored) throw err;
      return this.resend(stored);
    }
    return this.deps.store.view(await this.deps.sender.deliver(id));
  }

  private async resend(row: Row): Promise<OutboxItemView> {
    const id = Number(row.get('id'));
    await this.deps.store.transition(id, [OutboxState.failed], { state: OutboxState.queued });
    return this.deps.store.view(await this.deps.sender.deliver(id));
  }

  /**
   * A bulk send: new messages, each with its own recipients, stored `queued` under one batch id for the bulk
   * sender to send at the mailbox's rate. Every message is checked before any is stored, and they are stored in
   * one transaction: a refused request stores none. A refusal names the message (1-based) it is about.
   */
  async queueBulk(
    userId: UserId,
    items: Array<{ request: ComposeRequest; onStored?: OnStored }>,
    batchId: string,
  ): Promise<OutboxItemView[]> {
    const prepared: Array<{ values: Record<string, unknown>; onStored?: OnStored }> = [];
    for (const [i, item] of items.entries()) {
      try {
        const { values } = await this.prepare(userId, item.request, false);
        prepared.push({ values: { ...values, state: OutboxState.queued, batchId }, onStored: item.onStored });
      } catch (err) {
        if (!MailError.is(err) || err.status >= 500) throw err;
        throw new MailError(err.code, `Message ${i + 1}: ${err.userMessage}`, { status: err.status, cause: err });
      }
    }
    const ids = await this.deps.store.createMany(prepared);
    return Promise.all(ids.map(async (id) => this.deps.store.view((await this.deps.store.get(id)) as Row)));
  }

  async saveDraft(userId: UserId, request: ComposeRequest, onStored?: OnStored): Promise<OutboxItemView> {
    const prepared = await this.prepare(userId, request, true);
    const id = await this.store(prepared, OutboxState.draft, onStored);
    await this.copyDraft(id);
    return this.deps.store.view((await this.deps.store.get(id)) as Row);
  }

  /** Edits a draft or a failed message (`mailOutbox:update`); a draft's copy in Drafts is replaced. */
  async update(
    userId: UserId,
    rawId: unknown,
    values: Record<string, unknown>,
    uploads: NewFile[],
  ): Promise<OutboxItemView> {
    const row = await this.deps.store.forUser(userId, parseId(rawId, 'message', 'filterByTk'));
    const prepared = await this.prepare(
      userId,
      { values: { ...values, draftId: row.get('id') }, uploads },
      row.get('state') === OutboxState.draft,
    );
    const state = row.get('state') === OutboxState.draft ? OutboxState.draft : OutboxState.failed;
    const id = await this.store(prepared, state);
    if (state === OutboxState.draft) await this.copyDraft(id);
    return this.deps.store.view((await this.deps.store.get(id)) as Row);
  }

  /**
   * Sends a failed message again (`mailOutbox:retry`). It proceeds only if its compare-and-set took the row from
   * `failed` to `queued`; a queued one is sent, one still `sending` is settled if no attempt holds it now (else
   * answered as it is, at once), a sent one is answered as it is.
   */
  async retry(userId: UserId, rawId: unknown): Promise<OutboxItemView> {
    const row = await this.deps.store.forUser(userId, parseId(rawId, 'message', 'filterByTk'));
    if (row.get('state') === OutboxState.draft) {
      throw new MailError(
        MailErrorCode.INVALID_STATE,
        'This is a draft: send it with mailMessages:send and its draftId.',
        { status: 409 },
      );
    }
    const id = Number(row.get('id'));
    const requeued = await this.deps.store.transition(id, [OutboxState.failed], { state: OutboxState.queued });
    const state = requeued ? OutboxState.queued : ((await this.deps.store.get(id))?.get('state') as string);
    if (state === OutboxState.sending) return this.deps.store.view(await this.deps.sender.deliverIfFree(id));
    if (state !== OutboxState.queued) return this.deps.store.view((await this.deps.store.get(id)) as Row);
    return this.deps.store.view(await this.deps.sender.deliver(id));
  }

  async remove(userId: UserId, rawId: unknown): Promise<void> {
    let row = await this.deps.store.forUser(userId, parseId(rawId, 'message', 'filterByTk'));
    // A row left `sending` by a crash is settled first (sent or failed), after which it can go.
    if (row.get('state') === OutboxState.sending) row = await this.deps.sender.deliverIfFree(Number(row.get('id')));
    const ref = draftRef(row);
    if (!(await this.deps.store.remove(Number(row.get('id'))))) throw notEditable(row.get('state') as string);
    if (ref) {
      await this.deps.copies
        .removeCopy(Number(row.get('accountId')), ref)
        .catch((err) => this.deps.log?.warn('mail drafts: removing the Drafts copy failed', { err }));
    }
  }

  /** What the composer starts from for a reply or forward (nothing is stored). */
  async template(userId: UserId, rawSourceId: unknown, rawMode: unknown): Promise<ComposeTemplate> {
    const mode = parseMode(rawMode ?? ComposeMode.reply);
    if (mode === ComposeMode.new) throw invalidInput('mode must be reply, replyAll or forward.');
    const source = await this.source(userId, rawSourceId, mode);
    return {
      accountId: source.view.accountId,
      mode,
      sourceMessageId: source.view.id,
      to: source.headers.to,
      cc: source.headers.cc,
      subject: source.headers.subject,
      quoteHtml: quoteBlock(mode, quoted(source.view)),
      inReplyTo: source.headers.inReplyTo,
      references: source.headers.references,
      forwardAttachments:
        mode === ComposeMode.forward
          ? source.view.attachments
              .filter((a) => !a.inline)
              .map((a) => ({ part: a.part, filename: a.filename, contentType: a.contentType, size: a.size }))
          : [],
    };
  }

  private async source(userId: UserId, rawId: unknown, mode: ComposeMode): Promise<Source> {
    if (rawId === undefined || rawId === null || rawId === '')
      throw invalidInput(`A ${mode} needs the message it answers: pass sourceMessageId.`);
    // The reading side's access check: another user's message is a 404, like a missing one.
    const view = await this.deps.bodies.get(userId, rawId).catch((err) => {
      throw MailError.is(err) ? err : parseImapError(err).error;
    });
    const own = (await this.deps.accounts.listForUser(userId)).map((a) => a.address);
    const headers = replyHeaders(
      mode,
      {
        messageId: view.messageId,
        references: view.references,
        subject: view.subject,
        from: view.from,
        to: view.to,
        cc: view.cc,
        replyTo: view.replyTo,
      },
      own,
    );
    return { view, headers };
  }

  private async prepare(userId: UserId, request: ComposeRequest, draft: boolean): Promise<Prepared> {
    const v = request.values;
    const uploads = [...request.uploads, ...parseBase64Attachments(v.attachments)];
    const draftRow =
      v.draftId !== undefined && v.draftId !== null && v.draftId !== ''
        ? await this.deps.store.forUser(userId, parseId(v.draftId, 'draft', 'draftId'))
        : null;
    if (draftRow && !EDITABLE_STATES.includes(draftRow.get('state') as string))
      throw notEditable(draftRow.get('state') as string);

    const mode = draftRow && v.mode === undefined ? parseMode(draftRow.get('mode')) : parseMode(v.mode);
    // A stored reply or forward keeps its threading headers, quote and carried parts: the original may have been
    // moved or deleted since. Naming a source again rebuilds them from it.
    const reuseStored = !!draftRow && (v.sourceMessageId === undefined || v.sourceMessageId === null);
    const source = mode === ComposeMode.new || reuseStored ? null : await this.source(userId, v.sourceMessageId, mode);

    const rawAccount = v.accountId ?? draftRow?.get('accountId') ?? source?.view.accountId;
    if (rawAccount === undefined || rawAccount === null || rawAccount === '')
      throw invalidInput('Say which account to send from: pass accountId.');
    const account = await this.deps.accounts.findForUser(userId, parseId(rawAccount, 'account', 'accountId'));
    if (source && Number(source.view.accountId) !== Number(account.get('id'))) {
      // Threading and \Answered belong to the mailbox that holds the original.
      throw invalidInput('Reply from the mailbox the message is in.');
    }

    // What the request leaves out comes from the stored draft, else from the reply rules.
    const fallback = (k: 'to' | 'cc' | 'bcc') =>
      draftRow ? jsonColumn(draftRow.get(k), []) : k === 'bcc' ? undefined : source?.headers[k];
    const pick = (k: 'to' | 'cc' | 'bcc') => (v[k] !== undefined ? v[k] : fallback(k));
    const recipients: Recipients = parseRecipients(
      { to: pick('to'), cc: pick('cc'), bcc: pick('bcc') },
      { required: !draft },
    );
    const subject =
      parseSubject(v.subject) ??
      (draftRow ? (draftRow.get('subject') as string | null) : source?.headers.subject) ??
      '';
    const html =
      v.html === undefined && draftRow
        ? ((draftRow.get('html') as string | null) ?? '')
        : sanitizeOutgoingHtml(parseHtml(v.html));

    const includeQuote = truthy(v.includeQuote, true);
    const quoteHtml = source && includeQuote ? quoteBlock(mode, quoted(source.view)) : null;

    // Sizes first, from what is known without fetching: a refused request fetches nothing.
    const keepFileIds = draftRow ? parseIdList(v.keepAttachmentIds, 'keepAttachmentIds') : null;
    const kept = draftRow
      ? (await this.deps.store.fileList(Number(draftRow.get('id')))).filter(
          (f) => !keepFileIds || keepFileIds.includes(Number(f.get('id'))),
        )
      : [];
    const carried = source ? this.partsToCarry(mode, source.view, quoteHtml, v.forwardParts, !!draftRow) : [];
    const limitMb = await this.deps.maxAttachmentMb();
    // Inline images carried from the original are bytes in the message like any file: they count too.
    const known =
      uploads.reduce((n, f) => n + f.content.length, 0) + kept.reduce((n, f) => n + Number(f.get('size') ?? 0), 0);
    checkAttachmentTotal(known + carried.reduce((n, a) => n + a.size, 0), limitMb);

    // The listed sizes are estimates: each part is read only up to what the limit still leaves.
    const fetched = await this.fetchParts(userId, source?.view ?? null, carried, limitMb * 1024 * 1024 - known);
    checkAttachmentTotal(known + fetched.reduce((n, f) => n + f.content.length, 0), limitMb);

    const displayName = cleanHeaderText((account.get('displayName') as string | null) ?? '');
    const values: Record<string, unknown> = {
      accountId: account.get('id'),
      userId,
      mode,
      ...(reuseStored ? {} : { sourceMessageId: source ? source.view.id : null }),
      from: { name: displayName, address: account.get('address') as string },
      ...recipients,
      subject,
      html,
      ...(reuseStored
        ? {}
        : { inReplyTo: source?.headers.inReplyTo ?? null, references: source?.headers.references ?? [] }),
      failureReason: null,
      failureCode: null,
      rejectedRecipients: [],
      copyError: null,
    };
    if (!reuseStored) values.quoteHtml = quoteHtml;
    if (!draftRow) values.messageId = newMessageId(account.get('address') as string);
    return { values, keepFileIds, files: [...uploads, ...fetched], draft: draftRow };
  }

  /**
   * The original's parts a message carries: for a forward its attachments (all, or those `forwardParts` names);
   * for both replies and forwards the images the quote shows inline. A draft that already carries them is not
   * given them twice.
   */
  private partsToCarry(
    mode: ComposeMode,
    view: MailMessageView,
    quoteHtml: string | null,
    rawParts: unknown,
    fromDraft: boolean,
  ): MailAttachmentMeta[] {
    if (fromDraft && rawParts === undefined) return [];
    const shown = new Set(quoteHtml ? inlineParts(quoteHtml) : []);
    const inline = view.attachments.filter((a) => shown.has(a.part) && a.contentId);
    if (mode !== ComposeMode.forward) return inline;
    const wanted =
      rawParts === undefined || rawParts === null
        ? null
        : new Set((Array.isArray(rawParts) ? rawParts : [rawParts]).map(String));
    const files = view.attachments.filter((a) => !shown.has(a.part) && (!wanted || wanted.has(a.part)));
    if (wanted) {
      const unknown = [...wanted].filter((p) => !view.attachments.some((a) => a.part === p));
      if (unknown.length) throw invalidInput(`The original message has no attachment ${unknown.join(', ')}.`);
    }
    return [...inline, ...files];
  }

  /**
   * Streams each part from IMAP through the reading side (which checks the message is the user's); all parts
   * together stop being read at `limit` bytes.
   */
  private async fetchParts(
    userId: UserId,
    view: MailMessageView | null,
    parts: MailAttachmentMeta[],
    limit: number,
  ): Promise<NewFile[]> {
    if (!view || !parts.length) return [];
    const nonce = randomBytes(6).toString('hex');
    const out: NewFile[] = [];
    let left = limit;
    for (const meta of parts) {
      const inline = !!meta.contentId && meta.inline;
      try {
        const download = await this.deps.bodies.attachment(userId, view.id, meta.part, false);
        const content = await readAll(download.content, left);
        left -= content.length;
        out.push({
          filename: download.filename,
          contentType: download.contentType,
          content,
          contentId: inline ? cidForCarriedPart(meta.part, nonce) : null,
          inline,
        });
      } catch (err) {
        throw MailError.is(err) ? err : parseImapError(err).error;
      }
    }
    return out;
  }

  private async store(prepared: Prepared, state: string, onStored?: OnStored): Promise<number> {
    const values = { ...prepared.values, state };
    if (!prepared.draft) return this.deps.store.create(values, prepared.files, onStored);
    const id = Number(prepared.draft.get('id'));
    await this.deps.store.replace(id, values, prepared.keepFileIds, prepared.files, onStored);
    return id;
  }

  /** Puts the draft in the account's Drafts folder, replacing its previous copy; the draft stays stored either way. */
  private async copyDraft(id: number): Promise<void> {
    const row = (await this.deps.store.get(id)) as Row;
    try {
      const built = await buildFromRow(this.deps.store, row);
      const ref = await this.deps.copies.saveDraft(Number(row.get('accountId')), built.raw, draftRef(row));
      await this.deps.store.update(id, {
        draftFolderPath: ref?.path ?? null,
        draftUid: ref?.uid ?? null,
        draftUidValidity: ref?.uidValidity ?? null,
        copyError: null,
      });
    } catch (err) {
      this.deps.log?.warn('mail drafts: storing the Drafts copy failed', { err });
      const reason = MailError.is(err) ? err.userMessage : parseImapError(err).error.userMessage;
      await this.deps.store.update(id, {
        copyError: `The draft is saved here, but could not be stored in the mailbox's Drafts folder: ${reason}`,
      });
    }
  }
}

function quoted(view: MailMessageView) {
  return {
    from: view.from,
    to: view.to,
    cc: view.cc,
    subject: view.subject,
    date: view.date ? new Date(view.date) : null,
    html: view.html,
    text: view.text,
  };
}
