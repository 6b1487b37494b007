import type { ImapFlow } from 'imapflow';
import { flagColumns, FlagColumns, MessageRecord } from '../messages/message-record';
import { growingBatches } from '../transport/imap/uid-set';
import { fetchRecords } from './fetch-messages';
import type { FolderRow, FolderStore } from '../store/folder-store';
import type { MessageStore } from '../store/message-store';
import { decideFolderSync, FolderCursor, FolderStatus, FolderSyncPlan } from './sync-decision';

export interface PlannedFolder {
  folder: FolderRow;
  status: FolderStatus & { unseen: number };
  plan: FolderSyncPlan;
  /** UIDs still to fetch for a full sync or a backfill, newest first. */
  pending: number[];
  windowStart: Date;
}

/** Messages in a folder's first batch: the newest mail is listed before the bulk arrives. */
const FIRST_BATCH = 100;

/**
 * Stored messages compared per round of a flags scan, one UID FETCH each: what a scan holds in memory at once
 * stays the same for a folder of any size.
 */
const SCAN_PAGE = 50_000;

export interface FolderSyncDeps {
  client: ImapFlow;
  messages: MessageStore;
  folders: FolderStore;
  /** The largest batch: messages per FETCH and per stored write. */
  batchSize: number;
  /** Stored messages per round of a flags scan (default SCAN_PAGE). */
  scanPage?: number;
  /** After each stored batch, with the number of messages in it. */
  onStored?: (count: number) => Promise<void> | void;
}

export interface FolderSyncOutcome {
  /** Anything stored locally changed (new, flags, removed). */
  changed: boolean;
}

function hasCondstore(client: ImapFlow): boolean {
  return client.capabilities.has('CONDSTORE') || client.capabilities.has('QRESYNC');
}

function sameFlags(a: FlagColumns, b: FlagColumns): boolean {
  return a.read === b.read && a.flagged === b.flagged && a.answered === b.answered && a.draft === b.draft;
}

/** UID SEARCH that always yields a list (imapflow answers `false` when nothing is selected). */
export async function searchUids(client: ImapFlow, query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
  const found = await client.search(query, { uid: true });
  return Array.isArray(found) ? found : [];
}

/** UIDs in the window not stored yet, newest first. */
async function pendingInWindow(
  client: ImapFlow,
  messages: MessageStore,
  folderId: number,
  since: Date,
  before?: Date,
): Promise<number[]> {
  const onServer = await searchUids(client, before ? { since, before } : { since });
  const stored = new Set(await messages.storedUids(folderId));
  return onServer.filter((uid) => !stored.has(uid)).sort((a, b) => b - a);
}

/** Reads STATUS, decides, and for full syncs and backfills lists the UIDs to fetch (the progress total). */
export async function planFolder(
  client: ImapFlow,
  messages: MessageStore,
  folder: FolderRow,
  windowStart: Date,
): Promise<PlannedFolder> {
  const condstore = hasCondstore(client);
  // STATUS on the selected mailbox answers from this session's own view, which may lag (RFC 3501 §6.3.10 says not
  // to rely on it; Dovecot shows exactly that): close it first. Closing an EXAMINEd mailbox expunges nothing.
  if (client.mailbox && client.mailbox.path === folder.path) await client.mailboxClose();
  const st = await client.status(folder.path, {
    messages: true,
    uidNext: true,
    uidValidity: true,
    unseen: true,
    highestModseq: condstore,
  });
  if (!st || st.uidValidity === undefined || st.uidNext === undefined) {
    throw Object.assign(new Error(`STATUS gave no UIDVALIDITY/UIDNEXT for ${folder.path}`), {
      code: 'InvalidResponse',
    });
  }
  const status = {
    uidValidity: st.uidValidity,
    uidNext: st.uidNext,
    messages: st.messages ?? 0,
    highestModseq: st.highestModseq ?? null,
    unseen: st.unseen ?? 0,
  };
  const plan = decideFolderSync({ cursor: folder.cursor, status, condstore, windowStart });
  let pending: number[] = [];
  const needsList =
    plan.action === 'full' || plan.action === 'rebuild' || (plan.action === 'incremental' && plan.backfill);
  if (needsList && status.messages > 0) {
    const lock = await client.getMailboxLock(folder.path, { readOnly: true, description: 'plan sync' });
    try {
      if (plan.action === 'incremental')
        pending = await pendingInWindow(
          client,
          messages,
          folder.id,
          windowStart,
          folder.cursor.windowStart ?? undefined,
        );
      else if (plan.action === 'rebuild')
        pending = (await searchUids(client, { since: windowStart })).sort((a, b) => b - a);
      else pending = await pendingInWindow(client, messages, folder.id, windowStart);
    } finally {
      lock.release();
    }
  }
  return { folder, status, plan, pending, windowStart };
}

/**
 * Carries out a folder's plan in the selected folder. The cursor is saved only at the end, so an interrupted run is
 * simply repeated: already stored UIDs are skipped or ignored, and nothing between the old cursor and the server's
 * state is missed.
 */
export async function runFolder(planned: PlannedFolder, deps: FolderSyncDeps): Promise<FolderSyncOutcome> {
  const { client, messages, folders } = deps;
  const { folder, status, plan, windowStart } = planned;
  const ids = { accountId: folder.accountId, folderId: folder.id };
  const counts = { total: status.messages, unread: status.unseen };
  let changed = false;

  if (plan.action === 'skip') {
    await folders.saveCounts(folder.id, counts);
    return { changed };
  }

  const lock = await client.getMailboxLock(folder.path, { readOnly: true, description: 'sync' });
  try {
    const mailbox = client.mailbox;
    let action = plan.action;
    let pending = planned.pending;
    if (mailbox && BigInt(mailbox.uidValidity) !== BigInt(status.uidValidity)) {
      // UIDVALIDITY changed between STATUS and SELECT: nothing planned is valid any more.
      action = 'rebuild';
      pending = (await searchUids(client, { since: windowStart })).sort((a, b) => b - a);
    }
    const write = async (records: MessageRecord[], fetched: number) => {
      // The store says what it stored (messagesStored), so "new mail" signals go out with the data.
      await messages.insert(records);
      if (records.length) changed = true;
      await deps.onStored?.(fetched);
    };
    // Each batch is written while the next one is fetched: the database and the IMAP server work at the same time.
    // Only one write is ever in flight, and none is left running when this returns or throws.
    const store = async (uids: number[]) => {
      let writing: Promise<void> = Promise.resolve();
      try {
        for (const batch of growingBatches(uids, FIRST_BATCH, deps.batchSize)) {
          const records = await fetchRecords(client, batch, ids);
          await writing;
          writing = write(records, batch.length);
          writing.catch(() => undefined); // awaited in turn; this only stops Node reporting it as unhandled meanwhile
        }
      } catch (err) {
        await writing.catch(() => undefined);
        throw err;
      }
      await writing;
    };
    const note = async (didChange: boolean) => {
      if (didChange) changed = true;
    };

    if (action === 'rebuild') {
      await folders.reset(folder.id);
      await note(true);
    }

    if (action === 'full' || action === 'rebuild') {
      const hadRows = action === 'full' && (await messages.storedUids(folder.id)).length > 0;
      await store(pending);
      // Resuming an interrupted first sync: rows stored back then may have been expunged since.
      if (hadRows) await note(await removeExpunged(client, messages, folder.id));
    } else if (plan.action === 'incremental') {
      const cursor = folder.cursor;
      if (plan.newMessages && cursor.uidNext !== null) {
        const fresh = (await searchUids(client, { uid: `${cursor.uidNext}:*` })).filter(
          (uid) => uid >= (cursor.uidNext as number),
        );
        await store(fresh.sort((a, b) => b - a));
      }
      if (plan.flags === 'scan') {
        await note(await scanFlags(client, messages, folder.id, deps.scanPage ?? SCAN_PAGE));
      } else {
        if (plan.flags === 'changedSince' && cursor.highestModseq) {
          await note(await changedFlags(client, messages, folder.id, BigInt(cursor.highestModseq)));
        }
        if (plan.expunges) await note(await removeExpunged(client, messages, folder.id));
      }
      if (plan.backfill) await store(pending);
    }

    const next: FolderCursor = {
      uidValidity: String(status.uidValidity),
      uidNext: status.uidNext,
      highestModseq:
        status.highestModseq === null || status.highestModseq === undefined ? null : String(status.highestModseq),
      windowStart:
        folder.cursor.windowStart && action === 'incremental' && folder.cursor.windowStart < windowStart
          ? folder.cursor.windowStart
          : windowStart,
      messages: status.messages,
    };
    await folders.saveCursor(folder.id, next, counts);
    return { changed };
  } finally {
    lock.release();
  }
}

/**
 * Where a flags scan starts: the lowest stored UID. A loop, not `Math.min(...uids)`: a spread passes every UID as an
 * argument on the stack, which overflows for folders of about 150,000 messages and more.
 */
export function lowestUid(uids: Iterable<number>): number {
  let lowest = Infinity;
  for (const uid of uids) if (uid < lowest) lowest = uid;
  return lowest;
}

/** The highest of the UIDs, by a loop for the same reason. */
export function highestUid(uids: Iterable<number>): number {
  let highest = -Infinity;
  for (const uid of uids) if (uid > highest) highest = uid;
  return highest;
}

/**
 * Without CONDSTORE (Outlook) nothing tells which flags changed: read the flags of every message from the lowest
 * stored UID up and compare. The same listing shows which stored UIDs are gone. Done in rounds of SCAN_PAGE stored
 * messages, each with the server's flags for its UID range; the last round's range is open (`n:*`).
 */
async function scanFlags(client: ImapFlow, messages: MessageStore, folderId: number, page: number): Promise<boolean> {
  let changed = false;
  for (let afterUid = 0; ;) {
    const local = await messages.storedFlags(folderId, { afterUid, limit: page });
    if (!local.size) return changed;
    const lastRound = local.size < page;
    const highest = highestUid(local.keys());
    const onServer = new Set<number>();
    const changes: Array<{ uid: number; flags: FlagColumns }> = [];
    const range = `${lowestUid(local.keys())}:${lastRound ? '*' : highest}`;
    for await (const msg of client.fetch(range, { uid: true, flags: true }, { uid: true })) {
      onServer.add(msg.uid);
      const mine = local.get(msg.uid);
      const theirs = flagColumns(msg.flags);
      if (mine && !sameFlags(mine, theirs)) changes.push({ uid: msg.uid, flags: theirs });
    }
    const gone = [...local.keys()].filter((uid) => !onServer.has(uid));
    await messages.updateFlags(folderId, changes);
    await messages.remove(folderId, gone);
    changed ||= changes.length > 0 || gone.length > 0;
    if (lastRound) return changed;
    afterUid = highest;
  }
}

/** RFC 7162 §3.1.4: FETCH … (CHANGEDSINCE modseq) returns only messages whose metadata changed. */
async function changedFlags(
  client: ImapFlow,
  messages: MessageStore,
  folderId: number,
  since: bigint,
): Promise<boolean> {
  const local = await messages.storedFlags(folderId);
  if (!local.size) return false;
  const changes: Array<{ uid: number; flags: FlagColumns }> = [];
  for await (const msg of client.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: since })) {
    const mine = local.get(msg.uid);
    const theirs = flagColumns(msg.flags);
    if (mine && !sameFlags(mine, theirs)) changes.push({ uid: msg.uid, flags: theirs });
  }
  await messages.updateFlags(folderId, changes);
  return changes.length > 0;
}

/** Stored UIDs the server no longer lists (expunged, or moved to another folder) are removed. */
async function removeExpunged(client: ImapFlow, messages: MessageStore, folderId: number): Promise<boolean> {
  const stored = await messages.storedUids(folderId);
  if (!stored.length) return false;
  const onServer = new Set(await searchUids(client, { uid: `${stored[0]}:*` }));
  const gone = stored.filter((uid) => !onServer.has(uid));
  await messages.remove(folderId, gone);
  return gone.length > 0;
}
