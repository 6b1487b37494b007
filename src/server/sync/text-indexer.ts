import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { htmlToText } from '../compose/html-to-text';
import { summarizeStructure, TextPartRef } from '../messages/body-structure';
import { decodeCharset, decodeTransfer } from '../messages/decode-part';
import { boundIndexedText, DEFAULT_INDEXED_TEXT_BYTES } from '../messages/indexed-text';
import type { FolderStore } from '../store/folder-store';
import type { SyncStateStore } from '../store/sync-state-store';
import type { IndexedText, TextIndexStore } from '../store/text-index-store';
import { toSequenceSet } from '../transport/imap/uid-set';

/** The background text indexer's tuning (`reading.textIndex`); the defaults suit production. */
export interface TextIndexOptions {
  /**
   * Fetch body text for search after each sync. Default: on, except under APP_ENV=test, where suites that do not
   * exercise it must not see its reads and events (as with `reading.background`).
   */
  enabled?: boolean;
  /** Messages per FETCH and per UPDATE (default 100: fewer round trips and writes, npm run bench -- text-index). */
  batchSize?: number;
  /** Pause between two batches, during which push and user actions have the connection (default 250 ms). */
  pauseMs?: number;
  /** Bytes fetched of a text part, and characters kept of its text (default 64 KB). */
  maxBytes?: number;
}

export interface TextIndexerDeps {
  store: TextIndexStore;
  folders: FolderStore;
  states: SyncStateStore;
  /** Whether a user's request is using the account's other connection: the indexer waits its turn then. */
  userBusy(accountId: number): boolean;
  options?: TextIndexOptions;
}

export const DEFAULT_TEXT_INDEX_BATCH = 100;
export const DEFAULT_TEXT_INDEX_PAUSE_MS = 250;

/** Decoded text of a fetched part: text/plain as it is, text/html as text (style and script dropped). */
export function textOfPart(raw: Buffer, part: TextPartRef, maxChars: number): string {
  const decoded = decodeCharset(decodeTransfer(raw, part.encoding), part.charset);
  return boundIndexedText(part.html ? htmlToText(decoded) : decoded, maxChars);
}

/** imapflow keys partial body parts by the part number; some servers echo the `<0>` origin too. */
function partBytes(msg: FetchMessageObject, part: string): Buffer | undefined {
  const parts = msg.bodyParts;
  if (!parts) return undefined;
  return parts.get(part) ?? parts.get(`${part}<0>`) ?? parts.get(part.toLowerCase()) ?? [...parts.values()][0];
}

/**
 * Fills `indexedText` for the messages of the sync window, newest first, over the account's own sync connection:
 * one folder and one small batch at a time, each part cut at `maxBytes` (`BODY.PEEK[n]<0.maxBytes>`, in a folder
 * opened read-only, so nothing is marked read), one UPDATE per batch. The session runs a batch between its other
 * work and pauses between batches; a NULL `textIndexedAt` is the cursor, so a restart goes on where it stopped.
 */
export class TextIndexer {
  /**
   * Accounts whose run is under way on this node, with the received date where its last batch ended (the progress
   * total is counted once per run).
   */
  private readonly running = new Map<number, Date | undefined>();
  /** Accounts whose counts were written since this node started (a restart shows the window's counts once). */
  private readonly counted = new Set<number>();

  constructor(private readonly deps: TextIndexerDeps) {}

  get enabled(): boolean {
    return this.deps.options?.enabled ?? process.env.APP_ENV !== 'test';
  }

  get pauseMs(): number {
    return Math.max(0, this.deps.options?.pauseMs ?? DEFAULT_TEXT_INDEX_PAUSE_MS);
  }

  private get batchSize(): number {
    return Math.max(1, Math.floor(this.deps.options?.batchSize ?? DEFAULT_TEXT_INDEX_BATCH));
  }

  private get maxBytes(): number {
    return Math.max(1024, Math.floor(this.deps.options?.maxBytes ?? DEFAULT_INDEXED_TEXT_BYTES));
  }

  /** A user's request has the account's other connection: background reads on the server wait. */
  shouldYield(accountId: number): boolean {
    return this.deps.userBusy(accountId);
  }

  /** Indexes one batch; answers whether more is left. */
  async batch(client: ImapFlow, accountId: number, since: Date): Promise<boolean> {
    const running = this.running.has(accountId);
    const until = this.running.get(accountId);
    const pending = await this.deps.store.pending(accountId, since, this.batchSize, until);
    if (!pending && until) {
      // Done down to the window's start; mail stored meanwhile (push) is newer than where the run went on: one
      // more look from the newest message.
      this.running.set(accountId, undefined);
      return true;
    }
    if (!pending) {
      // Caught up: the counts start over from what is stored (mail that arrived during the run included), and
      // the next run starts from the newest message again.
      if (this.running.delete(accountId) || !this.counted.has(accountId)) await this.count(accountId, since);
      return false;
    }
    if (!running) await this.count(accountId, since);
    const texts = await this.fetchTexts(client, pending.folderId, pending.messages);
    const filled = texts ? await this.deps.store.save(accountId, texts) : 0;
    if (!filled) {
      this.running.delete(accountId);
      return false;
    }
    this.running.set(accountId, pending.oldest);
    await this.deps.states.addTextIndexed(accountId, filled);
    return true;
  }

  private async count(accountId: number, since: Date): Promise<void> {
    const { done, total } = await this.deps.store.progress(accountId, since);
    await this.deps.states.update(accountId, { textIndexDone: done, textIndexTotal: total });
    this.counted.add(accountId);
  }

  /** Texts of the batch's messages; null when the folder is gone or was renumbered (the next sync rebuilds it). */
  private async fetchTexts(
    client: ImapFlow,
    folderId: number,
    messages: Array<{ id: number; uid: number }>,
  ): Promise<IndexedText[] | null> {
    const folder = await this.deps.folders.byId(folderId);
    if (!folder || !messages.length) return null;
    const lock = await client.getMailboxLock(folder.path, { readOnly: true, description: 'text index' });
    try {
      if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) return null;
      const uids = messages.map((m) => m.uid);
      const wanted = new Set(uids);
      const partOf = new Map<number, TextPartRef | null>();
      for await (const msg of client.fetch(toSequenceSet(uids), { uid: true, bodyStructure: true }, { uid: true })) {
        // `n:*` always matches the last message (RFC 3501 §6.4.8), even when its UID is below n.
        if (wanted.has(msg.uid)) partOf.set(msg.uid, summarizeStructure(msg.bodyStructure).textPart);
      }
      const textOf = new Map<number, string>();
      const byPart = new Map<string, number[]>();
      for (const [uid, part] of partOf) if (part) byPart.set(part.part, [...(byPart.get(part.part) ?? []), uid]);
      for (const [key, group] of byPart) {
        const query = { uid: true, bodyParts: [{ key, start: 0, maxLength: this.maxBytes }] };
        for await (const msg of client.fetch(toSequenceSet(group), query, { uid: true })) {
          const part = partOf.get(msg.uid);
          const raw = part && partBytes(msg, key);
          if (part && raw) textOf.set(msg.uid, textOfPart(raw, part, this.maxBytes));
        }
      }
      // No text part (only attachments), or gone from the server: indexed as empty, never fetched again.
      return messages.map((m) => ({ id: m.id, text: textOf.get(m.uid) ?? '' }));
    } finally {
      lock.release();
    }
  }
}
