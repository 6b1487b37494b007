import type { AesEncryptor } from '@nocobase/server';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { TokenCacheStore } from '../providers/types';

/**
 * A token cache store over one account row's encrypted column. Reads decrypt the stored ciphertext (or the latest
 * write); writes stay in memory until the caller persists `written()` together with the token's expiry, so one
 * UPDATE stores both.
 */
export class EncryptedTokenCache implements TokenCacheStore {
  private latest: string | null = null;

  constructor(
    private readonly encryptor: AesEncryptor,
    private readonly ciphertext: string | null,
  ) {}

  async read(): Promise<string | null> {
    if (this.latest !== null) return this.latest;
    if (!this.ciphertext) return null;
    try {
      return await this.encryptor.decrypt(this.ciphertext);
    } catch (err) {
      // The app's encryption key changed since the sign-in: the refresh token is gone for good.
      throw new MailError(
        MailErrorCode.RECONNECT_REQUIRED,
        'The saved sign-in for this mailbox can no longer be read. Reconnect the mailbox.',
        {
          cause: err,
          reason: 'The saved sign-in for this mailbox can no longer be read.',
        },
      );
    }
  }

  async write(serialized: string): Promise<void> {
    this.latest = serialized;
  }

  /** The new serialised cache when the provider changed it, else null. */
  written(): string | null {
    return this.latest;
  }

  /** Ciphertext of the new cache, for the account row. */
  async encrypted(): Promise<string | null> {
    return this.latest === null ? null : this.encryptor.encrypt(this.latest);
  }
}
