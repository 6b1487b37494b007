/** Names and enums of the reading side (folders, messages, sync) that both halves of the plugin use. */

export const MAIL_FOLDERS_RESOURCE = 'mailFolders';
export const MAIL_MESSAGES_RESOURCE = 'mailMessages';

export const MailFoldersAction = {
  list: 'list',
  /** The owner marks a folder private (`values.private`): its mail is never shared on records. */
  setPrivate: 'setPrivate',
} as const;

export const MailMessagesAction = {
  list: 'list',
  get: 'get',
  /** Streams one attachment (a MIME body part) from the IMAP server. */
  attachment: 'attachment',
  /** Every To and Cc recipient of one message, read from the server: a row keeps the first 500 of each. */
  recipients: 'recipients',
  markRead: 'markRead',
  markUnread: 'markUnread',
  flag: 'flag',
  unflag: 'unflag',
  move: 'move',
  /** To Trash; from Trash itself, for good. */
  delete: 'delete',
  /** IMAP SEARCH over whole folders (beyond the synced window); what it finds is fetched and stored. */
  serverSearch: 'serverSearch',
} as const;

/** Reading actions added to the `mailAccounts` resource. */
export const MailAccountsSyncAction = {
  /** Sync now; `values.olderDays` also extends the synced window further back ("sync older mail"). */
  sync: 'sync',
  /** Sync progress and the "something changed" counter of the user's accounts; cheap enough to poll. */
  syncStatus: 'syncStatus',
} as const;

/** What a folder is for, from RFC 6154 special-use flags or Outlook's folder names. */
export const MailFolderRole = {
  inbox: 'inbox',
  sent: 'sent',
  drafts: 'drafts',
  trash: 'trash',
  junk: 'junk',
  archive: 'archive',
} as const;
export type MailFolderRole = (typeof MailFolderRole)[keyof typeof MailFolderRole];

/** Where an account's sync is, internally. The user-facing verdict stays the account's `status`. */
export const MailSyncStage = {
  /** Connected, never synced yet. */
  pending: 'pending',
  /** First sync of the window: `done`/`total` count its messages. */
  initial: 'initial',
  /** A later sync (new mail, flags, expunges) or a "sync older mail" run. */
  syncing: 'syncing',
  /** Up to date, waiting for push or the next periodic run. */
  idle: 'idle',
  /** The last run failed with something that may pass; `nextRetryAt` says when it tries again. */
  retrying: 'retrying',
  /** Stopped until someone acts (reconnect, admin fix); the account's status says who. */
  stopped: 'stopped',
} as const;
export type MailSyncStage = (typeof MailSyncStage)[keyof typeof MailSyncStage];

/** `mailMessages:list` page size bounds. */
export const MESSAGE_PAGE_SIZE_DEFAULT = 50;
export const MESSAGE_PAGE_SIZE_MAX = 200;

/**
 * A search's total (`mailMessages:list` with `q`) is counted up to this many matches, then answered as "more than"
 * (`countCapped`): an exact total of a common word costs far more than its page.
 */
export const SEARCH_COUNT_CAP_DEFAULT = 1000;
