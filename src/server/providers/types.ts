import type { MailProviderKey } from '../../shared/constants';
import type { MailError } from '../errors/mail-error';
import type { MailSettingsRecord } from '../settings/settings-types';

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

export interface MailEndpoints {
  imap: { host: string; port: number; secure: true };
  smtp: { host: string; port: number; secure: false };
}

/** How a provider's settings map to the `mailSettings` row: its own validation and defaults. */
export interface ProviderSettingsAdapter {
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
}

/**
 * One mail provider. Everything provider-specific (sign-in library, scopes, hosts, error wording) sits behind
 * this interface, so adding one is a folder under `providers/` and one `register` call.
 */
export interface MailProvider {
  readonly key: MailProviderKey;
  readonly title: string;
  readonly settings: ProviderSettingsAdapter;
  startAuthorization(settings: MailSettingsRecord, request: { redirectUri: string; state: string }): Promise<AuthorizationStart>;
  /** Exchanges the code; the new token cache is written to `cache`. */
  completeAuthorization(settings: MailSettingsRecord, request: AuthorizationCompletion, cache: TokenCacheStore): Promise<ConnectedMailbox>;
  /** A valid access token for IMAP/SMTP, refreshing through the cache when `forceRefresh` or when it is due. */
  acquireAccessToken(
    settings: MailSettingsRecord,
    account: { homeAccountId: string },
    cache: TokenCacheStore,
    options: { forceRefresh: boolean },
  ): Promise<ProviderAccessToken>;
  /** Checks the app credentials against the provider; resolves when they work, else throws a MailError. */
  testCredentials(settings: MailSettingsRecord, redirectUri: string): Promise<void>;
  /** Turns an error the provider returned on the sign-in redirect (`error=…`) into a MailError. */
  parseCallbackError(params: Record<string, string>): MailError;
  /** Classifies any error thrown by the provider's library. Never throws. */
  parseError(err: unknown): MailError;
  endpoints(settings: MailSettingsRecord): MailEndpoints;
}
