/**
 * Makes an account's stored access token run out, in MSAL's cache and in the row, as an hour passing would, so
 * the next call that needs a token must refresh it.
 */
import type { MockServer } from '@nocobase/test';

/** MSAL's serialised cache: kinds (AccessToken, RefreshToken…) mapping keys to entries. */
type SerializedCache = Record<string, Record<string, Record<string, string>>>;

/** A minute ago: what the row's `accessTokenExpiresAt` says once `expiredTokenCache` ran. */
export function aMinuteAgo(): Date {
  return new Date((Math.floor(Date.now() / 1000) - 60) * 1000);
}

/** MSAL's serialised cache (decrypted) with every access token expired at `at`; refresh tokens kept. */
export function expiredTokenCache(serialized: string, at: Date): string {
  const cache = JSON.parse(serialized) as SerializedCache;
  const past = String(Math.floor(at.getTime() / 1000));
  for (const token of Object.values(cache.AccessToken ?? {})) {
    token.expires_on = past;
    token.extended_expires_on = past;
  }
  return JSON.stringify(cache);
}

export async function expireStoredAccessToken(app: MockServer, accountId: number): Promise<void> {
  const accounts = app.db.getRepository('mailAccounts');
  const row = await accounts.findOne({ filterByTk: accountId });
  const past = aMinuteAgo();
  const cache = expiredTokenCache(await app.aesEncryptor.decrypt(row.get('tokenCache')), past);
  await accounts.update({
    filterByTk: accountId,
    values: { tokenCache: await app.aesEncryptor.encrypt(cache), accessTokenExpiresAt: past },
  });
}
