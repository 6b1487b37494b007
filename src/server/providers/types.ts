import type { MailProviderKey } from '../../shared/constants';
import type { MailError } from '../errors/mail-error';
import type { FolderNames } from '../transport/imap/folder-role';
import type { MailSettingsRecord } from '../settings/settings-types';
import type { TlsMode } from '../transport/tls-mode';

/**
 * Where a provider library keeps its serialised token cache. The token service hands each call a store bound to
 * one account row (encrypting on the way); the provider never sees the database.
 */
export interface TokenCacheStore {
  /** The cache as last written, or null when there is none yet. */
  read(): Promise<string | null>;
  write(serialized: string): Promise<void>;
}

export interface AuthorizationStart {
  authorizeUrl: string;
  /** PKCE verifier (RFC 7636) to keep server-side until the callback. */
  codeVerifier: string;
  nonce: string;
}

export interface AuthorizationCompletion {
  redirectUri: string;
  /** The callback's query parameters as received (code, state, client_info…). */
  params: Record<string, string>;
  /** The state we generated; passed back so the library can compare it with the response. */
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface ConnectedMailbox {
  /** Mailbox address from the ID token, lower-case. */
  address: string;
  displayName: string | null;
  /** The library's account key inside the token cache. */
  homeAccountId: string;
  expiresOn: Date;
}

export interface ProviderAccessToken {
  accessToken: string;
  expiresOn: Date;
  /** False when the provider's token endpoint was called (a refresh happened). */
  fromCache: boolean;
}

export interface MailEndpoint {
  host: string;
  port: number;
  tls: TlsMode;
}

export interface MailEndpoints {
  imap: MailEndpoint;
  smtp: MailEndpoint & {
    /**
     * The server files its own copy of submitted mail in Sent (Outlook does); when false the plugin appends one
     * over IMAP, or the sender would find none.
     */
    savesSentCopy: boolean;
    /** How the administrator switches SMTP AUTH on for a mailbox, told to the user when the server says it is off. */
    authDisabledFix?: string;
    /** How many messages one mailbox may submit a minute before the server throttles it; bulk sends keep under it. */
    messagesPerMinute: number;
  };
}

/** A `mailSettings` column the provider adds (a NocoBase field definition). */
export interface ProviderSettingsColumn {
  name: string;
  type: 'string' | 'text' | 'integer' | 'boolean';
  defaultValue?: string | number | boolean;
  /** Kept out of any serialised record (NocoBase's `hidden`). */
  hidden?: boolean;
}

/**
 * How a provider's settings map to the `mailSettings` row: the columns it adds, its own validation and defaults.
 * The row's `provider` column names the provider whose sign-in it configures.
 */
export interface ProviderSettingsAdapter {
  /** Columns this provider adds to `mailSettings`; a column without a default starts as null. */
  readonly columns: readonly ProviderSettingsColumn[];
  /**
   * Columns stored encrypted with the app's AES key and never sent back; the view says only `<name>Set`. Kept in
   * memory as plain text.
   */
  readonly secretColumns: readonly string[];
  /** Input keys this provider owns in a settings save. */
  readonly fields: readonly string[];
  /**
   * Validates the provider's part of a settings save. `input` holds only what the admin sent; `current` is the
   * stored row. Returns the columns to write or throws an INVALID_INPUT MailError naming the field and the fix.
   */
  normalize(input: Record<string, unknown>, current: MailSettingsRecord): Partial<MailSettingsRecord>;
  /** Effective values for display (defaults filled in). */
  view(settings: MailSettingsRecord): Record<string, unknown>;
  /** True when users can start connecting (credentials present). */
  isConfigured(settings: MailSettingsRecord): boolean;
  /** What to enter before a test can run, in words (shown when `isConfigured` is false). */
  readonly missingCredentials: string;
}

/** What users and admins read about a provider, in its own words. */
export interface ProviderWording {
  /** The service, e.g. in "… accepted the Client ID". */
  title: string;
  /** Whom users sign in with: "sign in to <signInWith> again". */
  signInWith: string;
  /** What the admin enters in the settings: "enter the <adminSetup> in the email settings". */
  adminSetup: string;
}

/**
 * One mail provider. Everything provider-specific (sign-in library, scopes, hosts, error wording) sits behind
 * this interface, so adding one is a folder under `providers/` and one `register` call.
 */
export interface MailProvider {
  readonly key: MailProviderKey;
  readonly wording: ProviderWording;
  readonly settings: ProviderSettingsAdapter;
  /** Its servers' names for the standard folders, lower-case, for folders listed without special-use flags. */
  readonly folderNames: FolderNames;
  startAuthorization(
    settings: MailSettingsRecord,
    request: { redirectUri: string; state: string },
  ): Promise<AuthorizationStart>;
  /** Exchanges the code; the new token cache is written to `cache`. */
  completeAuthorization(
    settings: MailSettingsRecord,
    request: AuthorizationCompletion,
    cache: TokenCacheStore,
  ): Promise<ConnectedMailbox>;
  /** A valid access token for IMAP/SMTP, refreshing through the cache when `forceRefresh` or when it is due. */
  acquireAccessToken(
    settings: MailSettingsRecord,
    account: { homeAccountId: string },
    cache: TokenCacheStore,
    options: { forceRefresh: boolean },
  ): Promise<ProviderAccessToken>;
  /**
   * Checks the app credentials against the provider; resolves with the verdict for the admin when they work,
   * else throws a MailError.
   */
  testCredentials(settings: MailSettingsRecord, redirectUri: string): Promise<string>;
  /** Turns an error the provider returned on the sign-in redirect (`error=…`) into a MailError. */
  parseCallbackError(params: Record<string, string>): MailError;
  /** Classifies any error thrown by the provider's library. Never throws. */
  parseError(err: unknown): MailError;
  /** Hosts, TLS modes and the Sent-copy behaviour for these settings. */
  endpoints(settings: MailSettingsRecord): MailEndpoints;
}
