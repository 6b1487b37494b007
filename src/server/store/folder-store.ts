import type { Database } from '@nocobase/database';
import type { MailFolderRole } from '../../shared/mail-reading';
import { FolderNames, folderRole, isSelectable, ListedFolder } from '../transport/imap/folder-role';
import { BatchedCalls } from '../db/batched-calls';
import { columnCase } from '../db/column-case';
import { columnPlus } from '../db/column-plus';
import { accountExists } from './account-exists';
import { FOLDERS_COLLECTION } from './collection-names';
import { MessageStore } from './message-store';
import type { FolderCursor } from '../sync/sync-decision';

export interface FolderRow {
  id: number;
  accountId: number;
  path: string;
  role: MailFolderRole | null;
  cursor: FolderCursor;
  /** Why the server refused the folder at the last sync, or null. */
  syncError?: string | null;
}

export interface ServerFolder extends ListedFolder {
  name: string;
}

type Row = { get(key: string): unknown };

function toFolderRow(row: Row): FolderRow {
  const date = row.get('windowStart') as Date | string | null;
  const uidNext = row.get('uidNext') as number | string | null;
  const messages = row.get('serverMessages') as number | null;
  return {
    id: Number(row.get('id')),
    accountId: Number(row.get('accountId')),
    path: row.get('path') as string,
    role: (row.get('role') as MailFolderRole | null) ?? null,
    cursor: {
      uidValidity: (row.get('uidValidity') as string | null) ?? null,
      uidNext: uidNext === null || uidNext === undefined ? null : Number(uidNext),
      highestModseq: (row.get('highestModseq') as string | null) ?? null,
      windowStart: date ? new Date(date) : null,
      messages: messages === null || messages === undefined ? null : Number(messages),
    },
    syncError: (row.get('syncError') as string | null) ?? null,
  };
}

/** A folder that synced has no refusal left to show. */
const SYNCED = { syncError: null, syncErrorAt: null };

/** Sync order: what users look at first. */
const ROLE_ORDER: Record<string, number> = { inbox: 0, sent: 1, drafts: 2, archive: 3, junk: 4, trash: 5 };

export function syncOrder(a: FolderRow, b: FolderRow): number {
  const ra = a.role ? (ROLE_ORDER[a.role] ?? 6) : 6;
  const rb = b.role ? (ROLE_ORDER[b.role] ?? 6) : 6;
  return ra - rb || a.path.localeCompare(b.path);
}

/**
 * `mailFolders` rows of one account, mirrored from LIST. Writes are single statements on the model, not repository
 * calls: NocoBase repositories open a transaction per write, and background transactions collide with request
 * transactions on SQLite (one connection for an in-memory database).
 */
interface FolderArrivals {
  folderId: number;
  uidNext: number;
  messages: number;
  unread: number;
}

export class FolderStore {
  private readonly inboxes = new BatchedCalls<number, FolderRow | null>((accountIds) => this.inboxesOf(accountIds));
  private readonly arrivals = new BatchedCalls<FolderArrivals, void>(async (items) => {
    await this.saveArrivalsOf(items);
    return items.map(() => undefined);
  });

  constructor(
    private readonly db: Database,
    private readonly messages: MessageStore,
    /** The providers' names of standard folders, for servers that list them without special-use flags. */
    private readonly folderNames: () => FolderNames = () => ({}),
  ) {}

  private get repo() {
    return this.db.getRepository(FOLDERS_COLLECTION);
  }

  private get model() {
    return this.db.getModel(FOLDERS_COLLECTION);
  }

  private async set(folderId: number, values: Record<string, unknown>): Promise<void> {
    await this.model.update(values, { where: { id: folderId }, hooks: false });
  }

  async list(accountId: number): Promise<FolderRow[]> {
    const rows = (await this.repo.find({ filter: { accountId } })) as Row[];
    return rows.map(toFolderRow).sort(syncOrder);
  }

  /** The account's Inbox, asked on every push: new mail on many mailboxes shares one SELECT. */
  inbox(accountId: number): Promise<FolderRow | null> {
    return this.inboxes.call(accountId);
  }

  private async inboxesOf(accountIds: number[]): Promise<Array<FolderRow | null>> {
    const rows = (await this.model.findAll({
      where: { accountId: [...new Set(accountIds)], role: 'inbox' },
    })) as unknown as Row[];
    const byAccount = new Map<number, FolderRow>();
    for (const folder of rows.map(toFolderRow).sort(syncOrder)) {
      if (!byAccount.has(folder.accountId)) byAccount.set(folder.accountId, folder);
    }
    return accountIds.map((id) => byAccount.get(id) ?? null);
  }

  async byId(id: number): Promise<FolderRow | null> {
    const row = await this.repo.findOne({ filterByTk: id });
    return row ? toFolderRow(row) : null;
  }

  /**
   * Makes the stored folders match the server's list: new ones added, names and roles refreshed, folders deleted
   * or renamed elsewhere removed together with their messages. Returns the selectable folders in sync order, and
   * how many stored folders were removed; no folders when the account was disconnected meanwhile.
   */
  async mirror(accountId: number, listed: ServerFolder[]): Promise<{ folders: FolderRow[]; removed: number }> {
    const selectable = listed.filter(isSelectable);
    const rows = (await this.repo.find({ filter: { accountId } })) as Row[];
    const existing = new Map(rows.map((r) => [r.get('path') as string, r]));
    const seen = new Set<string>();
    let created = false;
    for (const f of selectable) {
      seen.add(f.path);
      // RFC 3501 §5.1: INBOX is the reserved name of the Inbox; show it as users know it.
      const name = f.path.toUpperCase() === 'INBOX' ? 'Inbox' : f.name;
      const values = { name, delimiter: f.delimiter ?? null, role: folderRole(f, this.folderNames()) };
      const row = existing.get(f.path);
      if (!row) {
        await this.createIgnoringRace({ accountId, path: f.path, ...values });
        created = true;
      } else if (
        row.get('name') !== values.name ||
        row.get('role') !== values.role ||
        row.get('delimiter') !== values.delimiter
      ) {
        await this.set(row.get('id') as number, values);
      }
    }
    // Disconnected after the rows were read: the new rows would outlive the account (account-exists.ts).
    if (created && !(await accountExists(this.db, accountId))) {
      await this.messages.removeAccount(accountId);
      return { folders: [], removed: 0 };
    }
    let removed = 0;
    for (const [path, row] of existing) {
      if (seen.has(path)) continue;
      await this.remove(row.get('id') as number);
      removed++;
    }
    return { folders: await this.list(accountId), removed };
  }

  private async createIgnoringRace(values: Record<string, unknown>): Promise<void> {
    try {
      await this.model.create(values, { hooks: false });
    } catch (err) {
      // Another node mirrored the same list a moment earlier: the unique (account, path) index kept one row.
      if ((err as Error)?.name !== 'SequelizeUniqueConstraintError') throw err;
    }
  }

  /** Messages first: a crash in between leaves an empty folder that the next LIST comparison removes. */
  async remove(folderId: number): Promise<void> {
    await this.messages.clearFolder(folderId);
    await this.db.getModel(FOLDERS_COLLECTION).destroy({ where: { id: folderId }, hooks: false });
  }

  async saveCursor(folderId: number, cursor: FolderCursor, counts: { total: number; unread: number }): Promise<void> {
    await this.set(folderId, {
      uidValidity: cursor.uidValidity,
      uidNext: cursor.uidNext,
      highestModseq: cursor.highestModseq,
      windowStart: cursor.windowStart,
      serverMessages: cursor.messages,
      totalCount: counts.total,
      unreadCount: counts.unread,
      lastSyncedAt: new Date(),
      ...SYNCED,
    });
  }

  /**
   * After mail that arrived in the selected Inbox was fetched without a STATUS (inbox-arrivals.ts): UIDNEXT and the
   * server's count move on and the new mail is added to the counts. HIGHESTMODSEQ stays where it was: the changes
   * below the server's were not read, so the next full sync asks for them.
   */
  /** After new mail in the folder: its cursor and counts. New mail on many mailboxes shares one UPDATE. */
  saveArrivals(folderId: number, cursor: { uidNext: number; messages: number }, unread: number): Promise<void> {
    return this.arrivals.call({ folderId, ...cursor, unread });
  }

  private async saveArrivalsOf(items: FolderArrivals[]): Promise<void> {
    // In call order: a folder's later cursor wins, its new unread messages add up.
    const byFolder = new Map<number, FolderArrivals>();
    for (const a of items) {
      const before = byFolder.get(a.folderId);
      byFolder.set(a.folderId, before ? { ...a, unread: before.unread + a.unread } : a);
    }
    const rows = [...byFolder.values()];
    const each = (value: (a: FolderArrivals) => number) => new Map(rows.map((a) => [a.folderId, value(a)]));
    const single = rows.length === 1 ? rows[0] : null;
    await this.model.update(
      {
        uidNext: single
          ? single.uidNext
          : columnCase(
              this.model,
              'id',
              each((a) => a.uidNext),
            ),
        serverMessages: single
          ? single.messages
          : columnCase(
              this.model,
              'id',
              each((a) => a.messages),
            ),
        totalCount: single
          ? single.messages
          : columnCase(
              this.model,
              'id',
              each((a) => a.messages),
            ),
        unreadCount: single
          ? columnPlus(this.model, 'unreadCount', single.unread)
          : columnCase(
              this.model,
              'id',
              each((a) => a.unread),
              'unreadCount',
            ),
        lastSyncedAt: new Date(),
        ...SYNCED,
      },
      { where: { id: rows.map((a) => a.folderId) }, hooks: false },
    );
  }

  async saveCounts(folderId: number, counts: { total: number; unread: number }): Promise<void> {
    await this.set(folderId, {
      totalCount: counts.total,
      unreadCount: counts.unread,
      lastSyncedAt: new Date(),
      ...SYNCED,
    });
  }

  /**
   * Keeps why the server refused this folder; what was synced before stays listed. Returns whether the reason is
   * new (the folder list then changed for the client).
   */
  async saveRefusal(folderId: number, reason: string): Promise<boolean> {
    const row = (await this.repo.findOne({ filterByTk: folderId })) as Row | null;
    if (!row || row.get('syncError') === reason) return false;
    await this.set(folderId, { syncError: reason, syncErrorAt: new Date() });
    return true;
  }

  /**
   * Forgets the local copy, then the cursor: the next sync of the folder is a full one. In this order a crash in
   * between leaves the old cursor, whose UIDVALIDITY still differs from the server's, so the rebuild is repeated.
   */
  async reset(folderId: number): Promise<void> {
    await this.messages.clearFolder(folderId);
    await this.set(folderId, {
      uidValidity: null,
      uidNext: null,
      highestModseq: null,
      windowStart: null,
      serverMessages: null,
    });
  }
}
