import { Database, Op } from '@nocobase/database';
import type { ImapFlow } from 'imapflow';
import type { MailServerSearchView } from '../../shared/mail-reading-types';
import { invalidInput, MailError } from '../errors/mail-error';
import { folderNotFound, MailAccess, UserId } from '../messages/access';
import { LIST_ATTRIBUTES, toListItem } from '../messages/message-view';
import { toImapSearch } from '../messages/server-search-query';
import { parseQuery } from '../search/parse-query';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import type { FolderRow, FolderStore } from '../store/folder-store';
import type { MessageStore } from '../store/message-store';
import type { ImapConnectionPool } from '../transport/imap/connection-pool';
import { parseImapError } from '../transport/imap/parse-imap-error';
import { fetchRecords } from './fetch-messages';

/** Messages a server search lists (and fetches) at most: the newest of what the server found. */
export const SERVER_SEARCH_LIMIT = 200;

/** The longest query sent to the server: a search, not a document. */
export const MAX_SERVER_QUERY_LENGTH = 500;

export interface ServerSearchDeps {
  db: Database;
  access: MailAccess;
  folders: FolderStore;
  messages: MessageStore;
  pool: ImapConnectionPool;
  /** A folder renumbered on the server (UIDVALIDITY) is synced again before it can be searched. */
  resync(accountId: number): void;
}

export interface ServerSearchInput {
  accountId: unknown;
  folderId?: unknown;
  query: unknown;
}

type Row = { get(key: string): unknown };

/**
 * "Search on the server": the query as IMAP SEARCH over whole folders, the synced window or not, on the user's
 * connection. What it finds and is not stored yet is fetched like a sync batch (envelope, structure, snippet) and
 * stored through the message store, so it is a normal message afterwards: listed, opened, flagged, and kept in step
 * by later syncs (the flags scan and expunge check cover every stored UID; nothing prunes by date).
 */
export class ServerSearch {
  constructor(private readonly deps: ServerSearchDeps) {}

  async run(userId: UserId, input: ServerSearchInput): Promise<MailServerSearchView> {
    // A query the server cannot run is refused before anything is opened.
    const text = typeof input.query === 'string' ? input.query : '';
    if (text.length > MAX_SERVER_QUERY_LENGTH)
      throw invalidInput(`A search is at most ${MAX_SERVER_QUERY_LENGTH} characters long.`);
    const search = toImapSearch(parseQuery(text));
    const accountId = await this.deps.access.account(userId, input.accountId);
    const folders = await this.foldersToSearch(userId, accountId, input.folderId);
    let found = 0;
    const hits: Array<{ folderId: number; uids: number[] }> = [];
    for (const folder of folders) {
      const uids = await this.searchFolder(folder, search);
      if (!uids) continue;
      found += uids.length;
      hits.push({ folderId: folder.id, uids: uids.slice(0, SERVER_SEARCH_LIMIT) });
    }
    const rows: Row[] = [];
    for (const { folderId, uids } of hits) {
      if (!uids.length) continue;
      rows.push(
        ...((await this.deps.db.getModel(MESSAGES_COLLECTION).findAll({
          attributes: LIST_ATTRIBUTES,
          where: { accountId, folderId, uid: { [Op.in]: uids } },
        })) as unknown as Row[]),
      );
    }
    const time = (r: Row) => new Date(r.get('date') as string | Date).getTime() || 0;
    rows.sort((a, b) => time(b) - time(a));
    return { messages: rows.slice(0, SERVER_SEARCH_LIMIT).map(toListItem), found };
  }

  /** The folder asked for, or every folder of the account the server lets it read. */
  private async foldersToSearch(userId: UserId, accountId: number, rawFolderId: unknown): Promise<FolderRow[]> {
    if (rawFolderId === undefined || rawFolderId === null || rawFolderId === '')
      return (await this.deps.folders.list(accountId)).filter((f) => !f.syncError && f.cursor.uidValidity);
    const owned = await this.deps.access.folder(userId, rawFolderId);
    const folder = owned.accountId === accountId ? await this.deps.folders.byId(owned.id) : null;
    if (!folder) throw folderNotFound();
    return [folder];
  }

  /**
   * UIDs the server found in the folder, newest first, with the newest SERVER_SEARCH_LIMIT stored; null when the
   * folder cannot be searched now (gone, refused, or renumbered and waiting for its sync).
   */
  private async searchFolder(folder: FolderRow, search: ReturnType<typeof toImapSearch>): Promise<number[] | null> {
    try {
      return await this.deps.pool.withFolder(folder.accountId, folder.path, async (client) => {
        if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) {
          this.deps.resync(folder.accountId);
          return null;
        }
        const found = await client.search(search, { uid: true });
        const uids = (Array.isArray(found) ? found : []).sort((a, b) => b - a);
        await this.storeMissing(client, folder, uids.slice(0, SERVER_SEARCH_LIMIT));
        return uids;
      });
    } catch (err) {
      if (err instanceof MailError) throw err;
      const failure = parseImapError(err);
      if (failure.folderOnly || failure.kind === 'mailboxMissing') return null;
      throw failure.error;
    }
  }

  private async storeMissing(client: ImapFlow, folder: FolderRow, uids: number[]): Promise<void> {
    if (!uids.length) return;
    const stored = (await this.deps.db.getModel(MESSAGES_COLLECTION).findAll({
      attributes: ['uid'],
      where: { folderId: folder.id, uid: { [Op.in]: uids } },
      raw: true,
    })) as unknown as { uid: number | string }[];
    const have = new Set(stored.map((r) => Number(r.uid)));
    const missing = uids.filter((uid) => !have.has(uid));
    await this.deps.messages.insert(
      await fetchRecords(client, missing, { accountId: folder.accountId, folderId: folder.id }),
    );
  }
}
