import type { Model } from '@nocobase/database';
import type { AesEncryptor } from '@nocobase/server';
import { MailAccountStatus } from '../../shared/constants';
import type { AccountId, AccountService } from '../accounts/account-service';
import type { Locks } from '../cluster/database-locks';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailProviderRegistry } from '../providers/registry';
import { reconnectHint } from '../providers/wording';
import type { SettingsService } from '../settings/settings-service';
import { EncryptedTokenCache } from './encrypted-token-cache';
import { SingleFlight } from './single-flight';

export interface AccessToken {
  accessToken: string;
  /** The mailbox the token is for: the XOAUTH2 `user`. */
  address: string;
  expiresOn: Date;
}

export type AccountRef = AccountId | { id: AccountId } | Model;

export interface TokenServiceDeps {
  db: import('@nocobase/database').Database;
  accounts: AccountService;
  settings: SettingsService;
  providers: MailProviderRegistry;
  encryptor: AesEncryptor;
  /** Cluster-wide: a refresh rotates the refresh token, so two nodes refreshing at once would waste one. */
  locks: Locks;
  /** Prefix for lock keys; includes the app name so apps sharing a process or Redis never share a lock. */
  lockPrefix: string;
  /**
   * Refresh when the access token has less than this left. Above MSAL's own 5-minute renewal offset, so a token we
   * call fresh is one MSAL also serves from its cache: no token request ever runs outside the lock.
   */
  refreshMarginMs?: number;
  /** Longest a refresh may hold the per-account lock. */
  lockTtlMs?: number;
  log?: { warn(message: string, meta?: object): void };
}

const DEFAULT_MARGIN_MS = 10 * 60_000;
const DEFAULT_LOCK_TTL_MS = 60_000;

function idOf(ref: AccountRef): AccountId {
  if (typeof ref === 'number' || typeof ref === 'string') return ref;
  if (typeof (ref as Model).get === 'function') return (ref as Model).get('id') as AccountId;
  return (ref as { id: AccountId }).id;
}

/**
 * Access tokens for IMAP/SMTP. One refresh per account at a time: callers in this process share one promise, and
 * nodes serialise on a cluster-wide lock and re-read the row inside the lock, so a token another node just
 * refreshed is reused instead of refreshed again. Every rotated cache (with its new refresh token) is stored.
 */
export class TokenService {
  private readonly flights = new SingleFlight<AccessToken>();
  private readonly margin: number;
  private readonly lockTtl: number;

  constructor(private readonly deps: TokenServiceDeps) {
    this.margin = deps.refreshMarginMs ?? DEFAULT_MARGIN_MS;
    this.lockTtl = deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  }

  /** A token valid for at least the refresh margin, refreshed first when due. Throws a classified MailError. */
  getAccessToken(account: AccountRef): Promise<AccessToken> {
    const id = idOf(account);
    return this.flights.run(`get:${id}`, () => this.resolve(id, false));
  }

  /**
   * For a server that rejected a token (IMAP `AUTHENTICATE failed`): refreshes once, unless the stored token already
   * differs from `rejectedAccessToken` because someone else refreshed meanwhile. Callers retry authentication once
   * with the result and give up after that.
   */
  invalidate(account: AccountRef, rejectedAccessToken?: string): Promise<AccessToken> {
    const id = idOf(account);
    return this.flights.run(`refresh:${id}`, () => this.resolve(id, true, rejectedAccessToken));
  }

  private isFresh(row: Model): boolean {
    const expires = row.get('accessTokenExpiresAt') as Date | string | null;
    return !!expires && new Date(expires).getTime() - Date.now() > this.margin;
  }

  private async load(id: AccountId): Promise<Model> {
    const row = await this.deps.accounts.findById(id);
    if (!row) throw new MailError(MailErrorCode.NOT_FOUND, 'The mailbox account no longer exists.');
    if (row.get('status') === MailAccountStatus.reconnectRequired) {
      // The grant is known to be dead: asking the provider again would only repeat the failure.
      const reason =
        (row.get('statusReason') as string) || reconnectHint(this.deps.providers.get(row.get('provider') as string));
      throw new MailError(MailErrorCode.RECONNECT_REQUIRED, reason);
    }
    return row;
  }

  private async resolve(id: AccountId, force: boolean, rejected?: string): Promise<AccessToken> {
    const row = await this.load(id);
    if (!force && this.isFresh(row)) return this.acquire(row, false);
    return this.deps.locks.runExclusive(
      `${this.deps.lockPrefix}:token:${id}`,
      async () => {
        // Re-read inside the lock: another request or node may have refreshed while we waited.
        const current = await this.load(id);
        if (!force && this.isFresh(current)) return this.acquire(current, false);
        if (force && rejected && this.isFresh(current)) {
          const stored = await this.acquire(current, false);
          if (stored.accessToken !== rejected) return stored;
        }
        return this.acquire(current, true);
      },
      this.lockTtl,
    );
  }

  private async acquire(row: Model, forceRefresh: boolean): Promise<AccessToken> {
    const provider = this.deps.providers.get(row.get('provider') as string);
    const cache = new EncryptedTokenCache(this.deps.encryptor, row.get('tokenCache') as string | null);
    const settings = await this.deps.settings.load();
    let token;
    try {
      token = await provider.acquireAccessToken(
        settings,
        { homeAccountId: row.get('homeAccountId') as string },
        cache,
        { forceRefresh },
      );
    } catch (err) {
      const error = provider.parseError(err);
      await this.recordFailure(row, error);
      throw error;
    }
    // Outside the try: a database failure here is ours, not the provider's, and must not mark the account.
    await this.persist(row, cache, token.expiresOn, !token.fromCache);
    return { accessToken: token.accessToken, address: row.get('address') as string, expiresOn: token.expiresOn };
  }

  private async persist(row: Model, cache: EncryptedTokenCache, expiresOn: Date, refreshed: boolean): Promise<void> {
    const values: Record<string, unknown> = {};
    const tokenCache = await cache.encrypted();
    if (tokenCache) values.tokenCache = tokenCache;
    if (tokenCache || refreshed) values.accessTokenExpiresAt = expiresOn;
    if (refreshed) values.lastTokenRefreshAt = new Date();
    if (row.get('status') !== MailAccountStatus.connected) {
      values.status = MailAccountStatus.connected;
      values.statusReason = null;
    }
    if (!Object.keys(values).length) return;
    // By key, not through the instance: a disconnect that raced this refresh must not be undone.
    await this.deps.db.getRepository(ACCOUNTS_COLLECTION).update({ filterByTk: row.get('id') as AccountId, values });
  }

  /** The account's status follows who must act; transient failures leave it alone for the next retry. */
  private async recordFailure(row: Model, error: MailError): Promise<void> {
    // The code and the provider's error number only: the cause may quote request details.
    this.deps.log?.warn('mail token refresh failed', {
      accountId: row.get('id'),
      code: error.code,
      providerCode: error.providerCode,
    });
    if (error.code === MailErrorCode.TRANSIENT || error.code === MailErrorCode.NOT_FOUND) return;
    const status =
      error.code === MailErrorCode.RECONNECT_REQUIRED ? MailAccountStatus.reconnectRequired : MailAccountStatus.error;
    await this.deps.accounts.markStatus(row.get('id') as AccountId, status, error.userMessage);
  }
}
