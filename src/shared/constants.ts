/** Names both halves of the plugin agree on. */
export const PLUGIN_NAME = '@mailbridge/plugin-email-manager';

/** i18n namespace: NocoBase serves a plugin's `dist/locale/*.json` under its package name. */
export const LOCALE_NAMESPACE = PLUGIN_NAME;

/** Settings page key: the page lives at /admin/settings/email-manager. */
export const SETTINGS_KEY = 'email-manager';

/** ACL snippet guarding the admin settings; NocoBase names settings snippets `pm.<settings key>`. */
export const SETTINGS_ACL_SNIPPET = `pm.${SETTINGS_KEY}`;

/** Granted by the admin to roles whose members may see colleagues' shared mail on records. */
export const SHARED_MAIL_ACL_SNIPPET = 'mailbridge.shared-mail';

/** Granted by the admin to roles whose members may open any mailbox's mail, once the all-mail view is on. */
export const ALL_MAIL_ACL_SNIPPET = 'mailbridge.all-mail';

/** Resources the server defines; actions are `<resource>:<action>`. */
export const MAIL_SETTINGS_RESOURCE = 'mailSettings';
export const MAIL_ACCOUNTS_RESOURCE = 'mailAccounts';
export const MAIL_OAUTH_RESOURCE = 'mailOAuth';
/** The admin's all-mail view (off by default; see README "Security"). */
export const MAIL_ALL_MAIL_RESOURCE = 'mailAllMail';
export const MailAllMailAction = {
  mailboxes: 'mailboxes',
  list: 'list',
  get: 'get',
  attachment: 'attachment',
} as const;

export const MailSettingsAction = { get: 'get', update: 'update', test: 'test' } as const;
export const MailAccountsAction = {
  list: 'list',
  get: 'get',
  connect: 'connect',
  disconnect: 'disconnect',
  /** The owner sets how much colleagues see of the mailbox on records (`values.level`). */
  setSharing: 'setSharing',
  /** Who read the owner's mailboxes outside them (the all-mail view), newest first. */
  accessLog: 'accessLog',
} as const;
export const MailOAuthAction = { callback: 'callback' } as const;

/** A registered mail provider's key (`src/shared/providers/`); stored on every account and on the settings row. */
export type MailProviderKey = string;

/** What a user sees on an account: whether it works, and if not, who has to act. */
export const MailAccountStatus = {
  connected: 'connected',
  /** The user must sign in again (grant revoked or expired, MFA or consent needed). */
  reconnectRequired: 'reconnect_required',
  /** Something the user cannot fix alone (app configuration) or an unexpected provider answer. */
  error: 'error',
} as const;
export type MailAccountStatus = (typeof MailAccountStatus)[keyof typeof MailAccountStatus];

/** `window.postMessage` type the OAuth callback page sends to the window that opened it. */
export const OAUTH_RESULT_MESSAGE_TYPE = 'mailbridge:oauth-result';

/**
 * The mailbox page, relative to the app's public path. Without a popup the callback page sends the browser here
 * with `?connect=ok&accountId=…` or `?connect=error&reason=…`.
 */
export const MAILBOX_ROUTE_PATH = 'admin/email';
