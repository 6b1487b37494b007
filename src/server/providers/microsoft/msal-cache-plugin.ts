import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { TokenCacheStore } from '../types';

/**
 * MSAL keeps refresh tokens to itself by design; persisting its whole serialised cache per account is how a
 * server keeps a mailbox signed in. This plugin moves that cache between MSAL and one account's store.
 */
export class StoreCachePlugin implements ICachePlugin {
  constructor(private readonly store: TokenCacheStore) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const serialized = await this.store.read();
    if (serialized) context.tokenCache.deserialize(serialized);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    // A refresh rotates the refresh token: every change must be written or the account dies within ~90 days.
    if (context.cacheHasChanged) await this.store.write(context.tokenCache.serialize());
  }
}
