import { MailError, MailErrorCode } from '../errors/mail-error';
import type { FolderNames } from '../transport/imap/folder-role';
import type { MailProvider } from './types';

/** Providers by key. Accounts store the key, so a registered key must never be renamed. */
export class MailProviderRegistry {
  private readonly providers = new Map<string, MailProvider>();

  register(provider: MailProvider): void {
    if (this.providers.has(provider.key)) throw new Error(`mail provider "${provider.key}" is already registered`);
    this.providers.set(provider.key, provider);
  }

  get(key: string): MailProvider {
    const provider = this.providers.get(key);
    if (!provider) throw new MailError(MailErrorCode.INVALID_INPUT, `Unknown mail provider "${key}".`);
    return provider;
  }

  has(key: string): boolean {
    return this.providers.has(key);
  }

  all(): MailProvider[] {
    return [...this.providers.values()];
  }

  /**
   * Every provider's folder names together: a name only counts for a top-level folder without special-use flags,
   * where one provider's name for a standard folder means the same on any server.
   */
  folderNames(): FolderNames {
    return Object.assign({}, ...this.all().map((p) => p.folderNames));
  }
}
