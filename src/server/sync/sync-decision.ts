/**
 * What a folder sync must do, decided from the stored cursor and the server's STATUS alone: no I/O here, so every
 * case is a table test. RFC 3501 §2.3.1.1: UIDs are only meaningful together with the folder's UIDVALIDITY.
 */

export interface FolderCursor {
  /** Decimal string (UIDVALIDITY is a 32-bit unsigned number). Null until the first sync finished. */
  uidValidity: string | null;
  /** UIDNEXT the server reported when the last sync started: everything below it has been seen. */
  uidNext: number | null;
  /** HIGHESTMODSEQ (RFC 7162) at the last sync start, decimal string; null without CONDSTORE. */
  highestModseq: string | null;
  /** Oldest date the local copy covers. */
  windowStart: Date | null;
  /** The server's message count at the last sync. */
  messages: number | null;
}

export interface FolderStatus {
  uidValidity: bigint | number | string;
  uidNext: number;
  messages: number;
  highestModseq?: bigint | number | string | null;
}

export interface DecisionInput {
  cursor: FolderCursor;
  status: FolderStatus;
  /** The server offers CONDSTORE (Outlook does not). */
  condstore: boolean;
  /** Oldest date that should be covered now (the window, possibly extended by "sync older mail"). */
  windowStart: Date;
}

export type FlagsMode =
  /** FETCH … (CHANGEDSINCE modseq): only what changed (RFC 7162 §3.1.4). */
  | 'changedSince'
  /** Without CONDSTORE nothing says whether flags changed: read the flags of every stored message. */
  | 'scan'
  | 'none';

export type FolderSyncPlan =
  /** Nothing stored yet: the whole window, newest first. */
  | { action: 'full' }
  /** The stored UIDs are void: drop the folder's local copy and sync it anew. */
  | { action: 'rebuild'; reason: 'uidValidity' | 'uidNextWentBack' }
  | { action: 'skip' }
  | {
      action: 'incremental';
      /** UIDs at or above the cursor's UIDNEXT exist. */
      newMessages: boolean;
      flags: FlagsMode;
      /** Compare stored UIDs with the server's to find messages expunged or moved elsewhere. */
      expunges: boolean;
      /** The window now starts earlier than what is stored: fetch the older part too. */
      backfill: boolean;
    };

function big(v: bigint | number | string | null | undefined): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
}

export function decideFolderSync({ cursor, status, condstore, windowStart }: DecisionInput): FolderSyncPlan {
  if (cursor.uidValidity === null || cursor.uidNext === null) return { action: 'full' };
  if (big(cursor.uidValidity) !== big(status.uidValidity)) return { action: 'rebuild', reason: 'uidValidity' };
  // UIDs strictly ascend (RFC 3501 §2.3.1.1); a smaller UIDNEXT under the same UIDVALIDITY means a broken server state.
  if (status.uidNext < cursor.uidNext) return { action: 'rebuild', reason: 'uidNextWentBack' };

  const newMessages = status.uidNext > cursor.uidNext;
  const countChanged = cursor.messages === null || status.messages !== cursor.messages;
  const backfill = !!cursor.windowStart && windowStart.getTime() < cursor.windowStart.getTime();

  const storedModseq = big(cursor.highestModseq);
  const serverModseq = big(status.highestModseq);
  let flags: FlagsMode;
  if (condstore && storedModseq !== null && serverModseq !== null)
    flags = serverModseq > storedModseq ? 'changedSince' : 'none';
  else flags = 'scan';

  if (!newMessages && !countChanged && flags === 'none' && !backfill) return { action: 'skip' };
  // A flags scan returns every stored UID anyway, so expunges come for free with it.
  const expunges = flags === 'scan' || newMessages || countChanged;
  return { action: 'incremental', newMessages, flags, expunges, backfill };
}

/** Start of the window: `days` before `now`, at midnight UTC (IMAP SEARCH SINCE compares dates, not times). */
export function windowStartFor(now: Date, days: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - days);
  return d;
}
