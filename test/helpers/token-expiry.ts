/**
 * Makes an account's stored access token run out, in MSAL's cache and in the row, as an hour passing would, so
 * the next call that needs a token must refresh it.
 */
import type { MockServer } from '@nocobase/test';

/** MSAL's serialised cache: kinds (AccessToken, RefreshToken…) mapping keys to entries. */
type SerializedCache = Record<string, Record<string, Record<string, string>>>;

export async function expireStoredAccessToken(app: MockServer, accountId: number): Promise<void> {
  const accounts = app.db.getRepository('mailAccounts');
  const row = await accounts.findOne({ filterByTk: accountId });
  const cache = JSON.parse(await app.aesEncryptor.decrypt(row.get('tokenCache'))) as SerializedCache;
  const past = String(Math.floor(Date.now() / 1000) - 60);
  for (const at of Object.values(cache.AccessToken ?? {})) {
    at.expires_on = past;
    at.extended_expires_on = past;
  }
  await accounts.update({
    filterByTk: accountId,
    values: {
      tokenCache: await app.aesEncryptor.encrypt(JSON.stringify(cache)),
      accessTokenExpiresAt: new Date(Number(past) * 1000),
    },
  });
}
