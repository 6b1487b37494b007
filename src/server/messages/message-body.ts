import type { Database } from '@nocobase/database';
import type { Readable } from 'node:stream';
import { attachmentFileName, normalizeContentType } from '../../shared/mail-reading-files';
import type { MailAttachmentMeta, MailMessageView, MailRecipientsView } from '../../shared/mail-reading-types';
import { htmlToText } from '../compose/html-to-text';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailEventStream } from '../events';
import type { FolderStore } from '../store/folder-store';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import type { TextIndexStore } from '../store/text-index-store';
import type { ImapConnectionPool } from '../transport/imap/connection-pool';
import { MailAccess, messageNotFound, UserId } from './access';
import { staleFolderError } from './message-actions';
import { toListItem } from './message-view';
import { boundIndexedText } from './indexed-text';
import { addresses, MAX_STORED_ADDRESSES } from './message-record';
import { parseBody } from './parse-body';
import { sanitizeMailHtml } from './sanitize-mail-html';
import { parseMessageIds } from './thread-key';
import { ParticipantStore } from '../store/participant-store';

type Row = { get(key: string): unknown };

export interface MessageBodyDeps {
  db: Database;
  access: MailAccess;
  folders: FolderStore;
  pool: ImapConnectionPool;
  /** `/api/` or the app's API_BASE_PATH, ending in `/`: where `cid:` images point. */
  apiBasePath(): string;
  resync(accountId: number): void;
  /** Told when the local row turned out to be gone on the server. */
  events: MailEventStream;
  /** Where the parsed text goes for search when the background indexer did not get to the message yet. */
  textIndex: TextIndexStore;
  /** Characters of body text kept for search (default 64 KB). */
  indexedTextChars?: number;
}

export interface AttachmentDownload {
  content: Readable;
  contentType: string;
  filename: string;
  /** Inline only for raster images the reader embeds; anything else downloads. */
  inline: boolean;
}

/** Raster images are safe to show inline; SVG and HTML could run script in the app's origin. */
const INLINE_SAFE = /^image\/(png|jpe?g|gif|webp|bmp)$/i;

/**
 * When the parser or sanitiser last changed what it stores: bodies cached before are parsed again on their next
 * open (a sender's own `data-remote-*` attributes were kept until then, and attachment sizes were encoded sizes).
 */
const BODY_FORMAT_SINCE = Date.parse('2026-12-05T18:30:00Z');

function isCachedBodyCurrent(cachedAt: unknown): boolean {
  if (!cachedAt) return false;
  const time = new Date(cachedAt as string | Date).getTime();
  return !Number.isNaN(time) && time >= BODY_FORMAT_SINCE;
}

function attachmentsOf(row: Row): MailAttachmentMeta[] {
  const raw = (row.get('attachments') as MailAttachmentMeta[] | string | null) ?? [];
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}

function goneError(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'This message is no longer on the mail server.');
}

/** Bodies on first open (parsed, sanitised, cached) and attachments streamed part by part from IMAP. */
export class MessageBodies {
  constructor(private readonly deps: MessageBodyDeps) {}

  private get model() {
    return this.deps.db.getModel(MESSAGES_COLLECTION);
  }

  async get(userId: UserId, rawId: unknown): Promise<MailMessageView> {
    return this.read(await this.deps.access.message(userId, rawId));
  }

  /** The message with its body, for a row the caller was already allowed to read (the owner's, or shared). */
  async read(row: Row): Promise<MailMessageView> {
    if (!isCachedBodyCurrent(row.get('bodyCachedAt'))) await this.fill(row);
    const view = this.view(row);
    // Only a list the row had to cut needs the server for its total.
    const cut = view.to.length >= MAX_STORED_ADDRESSES || view.cc.length >= MAX_STORED_ADDRESSES;
    const full = cut ? await this.fullRecipients(row) : view;
    return { ...view, toTotal: full.to.length, ccTotal: full.cc.length };
  }

  /** Every To and Cc recipient, from the server's ENVELOPE: a row keeps the first 500 of each. */
  async recipients(userId: UserId, rawId: unknown): Promise<MailRecipientsView> {
    const row = await this.deps.access.message(userId, rawId);
    return this.fullRecipients(row);
  }

  private async fullRecipients(row: Row): Promise<MailRecipientsView> {
    const folder = await this.deps.folders.byId(Number(row.get('folderId')));
    if (!folder) throw messageNotFound();
    const envelope = await this.deps.pool.withFolder(folder.accountId, folder.path, async (client) => {
      if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) {
        this.deps.resync(folder.accountId);
        throw staleFolderError();
      }
      const found = await client.fetchOne(String(row.get('uid')), { envelope: true }, { uid: true });
      return found ? found.envelope : null;
    });
    if (!envelope) throw goneError();
    return { to: addresses(envelope.to, Infinity), cc: addresses(envelope.cc, Infinity) };
  }

  /** Fetches the source over IMAP, parses and sanitises it, and stores the result in the row. */
  private async fill(row: Row): Promise<void> {
    const folder = await this.deps.folders.byId(Number(row.get('folderId')));
    if (!folder) throw messageNotFound();
    const id = row.get('id') as number;
    const uid = Number(row.get('uid'));
    const parsed = await this.deps.pool.withFolder(folder.accountId, folder.path, async (client) => {
      if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) {
        this.deps.resync(folder.accountId);
        throw staleFolderError();
      }
      const download = await client.download(String(uid), undefined, { uid: true });
      if (!download.content) return null;
      return parseBody(download.content);
    });
    if (!parsed) {
      // Expunged elsewhere since the last sync: the list must not keep showing it.
      await this.model.destroy({ where: { id }, hooks: false });
      await new ParticipantStore(this.deps.db).removeMessages([id]);
      await this.deps.events.emit('messagesRemoved', { accountId: folder.accountId, folderId: folder.id, ids: [id] });
      throw goneError();
    }
    const list = attachmentsOf(row);
    const byCid = new Map(list.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.part]));
    const base = this.deps.apiBasePath();
    const sanitized = parsed.html
      ? sanitizeMailHtml(parsed.html, (cid) => {
          const part = byCid.get(decodeURIComponent(cid).replace(/^<|>$/g, '').toLowerCase());
          return part
            ? `${base}mailMessages:attachment?filterByTk=${id}&part=${encodeURIComponent(part)}&inline=1`
            : null;
        })
      : null;
    const values = {
      // Sizes at sync are estimated from the encoded size; now the parts were read, they are exact.
      attachments: list.map((a) => (parsed.partSizes.has(a.part) ? { ...a, size: parsed.partSizes.get(a.part)! } : a)),
      bodyText: parsed.text,
      bodyHtml: sanitized?.html ?? null,
      bodyHasRemote: sanitized?.hasRemoteContent ?? false,
      bodyError: parsed.error,
      bodyCachedAt: new Date(),
    };
    await this.model.update(values, { where: { id }, hooks: false });
    for (const [k, v] of Object.entries(values)) (row as unknown as { set(k: string, v: unknown): void }).set(k, v);
    // The whole body was just read: search gets its text now rather than when the background indexer comes by.
    if (!row.get('textIndexedAt'))
      await this.deps.textIndex.save(folder.accountId, [
        {
          id,
          text: boundIndexedText(
            parsed.text ?? (parsed.html ? htmlToText(parsed.html) : ''),
            this.deps.indexedTextChars,
          ),
        },
      ]);
  }

  private view(row: Row): Omit<MailMessageView, 'toTotal' | 'ccTotal'> {
    return {
      ...toListItem(row),
      inReplyTo: (row.get('inReplyTo') as string | null) ?? null,
      references: parseMessageIds(row.get('references') as string | null),
      text: (row.get('bodyText') as string | null) ?? null,
      html: (row.get('bodyHtml') as string | null) ?? null,
      hasRemoteContent: !!row.get('bodyHasRemote'),
      bodyError: (row.get('bodyError') as string | null) ?? null,
    };
  }

  /**
   * One attachment as a stream from IMAP (FETCH BODY[part] in chunks): the whole file is never held in memory. The
   * part must be one the message lists, so this cannot be used to read arbitrary parts.
   */
  async attachment(userId: UserId, rawId: unknown, rawPart: unknown, wantInline: boolean): Promise<AttachmentDownload> {
    return this.download(await this.deps.access.message(userId, rawId), rawPart, wantInline);
  }

  /** One attachment of a row the caller was already allowed to read (the owner's, or shared at `full`). */
  async download(row: Row, rawPart: unknown, wantInline: boolean): Promise<AttachmentDownload> {
    const meta = attachmentsOf(row).find((a) => a.part === String(rawPart ?? ''));
    if (!meta) throw new MailError(MailErrorCode.NOT_FOUND, 'No such attachment in this message.');
    const folder = await this.deps.folders.byId(Number(row.get('folderId')));
    if (!folder) throw messageNotFound();
    return this.deps.pool.withFolder(folder.accountId, folder.path, async (client, hold) => {
      if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) {
        this.deps.resync(folder.accountId);
        throw staleFolderError();
      }
      // decodeText: false streams text attachments byte for byte, in their own charset.
      const download = await client.download(String(row.get('uid')), meta.part, { uid: true, decodeText: false });
      if (!download.content) throw goneError();
      // From here the stream holds the mailbox lock until it ends or is destroyed: whoever fails to hand it on
      // destroys it, or every later action of the account waits for that lock.
      hold(download.content);
      try {
        // Rows stored before types were normalised at sync may still carry a type no header can hold.
        const contentType = normalizeContentType(meta.contentType || download.meta?.contentType);
        return {
          content: download.content,
          contentType,
          filename: attachmentFileName({ ...meta, filename: meta.filename || download.meta?.filename || null }),
          inline: wantInline && INLINE_SAFE.test(contentType),
        };
      } catch (err) {
        download.content.destroy();
        throw err;
      }
    });
  }
}
