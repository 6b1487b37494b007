/** Response shapes of the reading side. Dates travel as ISO strings; ids as the server gives them. */
import type { MailErrorCode } from './error-codes';
import type { MailFolderRole, MailSyncStage } from './mail-reading';

export interface MailAddress {
  name: string;
  address: string;
}

/** An attachment as the body structure describes it; its bytes stream from `mailMessages:attachment`. */
export interface MailAttachmentMeta {
  /** MIME part number, e.g. `2` or `1.2`: pass it as `part` to `mailMessages:attachment`. */
  part: string;
  filename: string | null;
  contentType: string;
  /** The file's size in bytes: estimated from its encoded size until the message is opened, exact after. */
  size: number;
  /** Shown inside the HTML body (a `cid:` image) rather than listed as a file. */
  inline: boolean;
  contentId: string | null;
}

/** `mailFolders:list` items. */
export interface MailFolderView {
  id: number | string;
  accountId: number | string;
  path: string;
  name: string;
  /** Path of the parent folder, '' for top-level folders. */
  parentPath: string;
  delimiter: string;
  role: MailFolderRole | null;
  totalCount: number;
  unreadCount: number;
  lastSyncedAt: string | null;
  /** Why the server refused this folder at the last sync (the others still sync); null once it syncs again. */
  syncError: string | null;
  syncErrorAt: string | null;
  /** The owner keeps this folder's mail out of every shared view (mailFolders:setPrivate). */
  private: boolean;
}

/** `mailMessages:list` items: everything a list row shows, no body. */
export interface MailMessageListItem {
  id: number | string;
  accountId: number | string;
  folderId: number | string;
  uid: number;
  messageId: string | null;
  threadKey: string;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  date: string | null;
  read: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  snippet: string;
  size: number;
  hasAttachments: boolean;
  attachments: MailAttachmentMeta[];
  /** With `threads=true` only: the conversation's size and unread count; the row is its newest message. */
  threadCount?: number;
  threadUnreadCount?: number;
  /** With a search (`q`) only: where its words are in `subject` and `snippet`, for the client to mark. */
  highlights?: SearchHighlights;
}

/** `mailMessages:list` meta (beside the rows). */
export interface MailMessageListMeta {
  /** Every match; for a search (`q`), at most the cap (1,000 by default): see `countCapped`. */
  count: number;
  /** Set when a search matches more than `count`: the total was counted only up to the cap. */
  countCapped?: true;
  page: number;
  pageSize: number;
  /** Pages of `count`; a capped search has more, while `hasMore` says so. */
  totalPage: number;
  /** Another page follows this one (also past a capped count). */
  hasMore: boolean;
}

/** `[start, end)` in UTF-16 code units of the text it belongs to. */
export type TextRange = [number, number];

/** Plain ranges, never markup: the client renders the marks itself. */
export interface SearchHighlights {
  subject: TextRange[];
  snippet: TextRange[];
}

/** `mailMessages:get`: the list item plus the parsed body. */
export interface MailMessageView extends MailMessageListItem {
  inReplyTo: string | null;
  references: string[];
  text: string | null;
  /**
   * Sanitised on the server. Remote images and styles are disabled: their URLs moved to `data-remote-src` /
   * `data-remote-srcset` / `data-remote-background` (and `url()` in styles to `data-remote-style`, in `<style>`
   * blocks to the block's `data-remote-sheet`); the client puts them back when the user chooses to show images. No
   * sender's own `data-remote-*` survives. `cid:` images point at the attachment endpoint.
   */
  html: string | null;
  hasRemoteContent: boolean;
  /** Set when the message could not be parsed; the list data above is still valid. */
  bodyError: string | null;
  /** How many To and Cc recipients the message has; `to` and `cc` hold at most 500 each. */
  toTotal: number;
  ccTotal: number;
}

/** `mailMessages:recipients`: every To and Cc recipient of one message. */
export interface MailRecipientsView {
  to: MailAddress[];
  cc: MailAddress[];
}

/** `mailAccounts:syncStatus` items: one per account of the current user. */
export interface MailSyncStatusView {
  accountId: number | string;
  stage: MailSyncStage;
  /** Messages stored / to store in the current initial or "older mail" run; both 0 otherwise. */
  done: number;
  total: number;
  /** Oldest date the local copy covers. */
  windowStart: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  lastErrorCode: MailErrorCode | null;
  nextRetryAt: string | null;
  /** Whether the Inbox push connection is up right now. */
  pushConnected: boolean;
  /**
   * Goes up whenever stored mail of the account changes (new, flags, moves, deletions). Poll this and reload the
   * list when it moved: the cheap "new mail arrived" signal.
   */
  changeSeq: number;
  lastChangeAt: string | null;
  /**
   * Body text indexed for search: messages of the window done, of all in the window. Counted when a run of the
   * background indexer starts; `done` equals `total` once it caught up.
   */
  textIndex: { done: number; total: number };
}

/** What `mailMessages:serverSearch` found: the newest matches (at most 200), stored and listed like any message. */
export interface MailServerSearchView {
  messages: MailMessageListItem[];
  /** Every match on the server, including those beyond the ones listed. */
  found: number;
}

/** Result of the bulk message actions. */
export interface MailBulkResult {
  /** Ids the action applied to. */
  ids: Array<number | string>;
}
