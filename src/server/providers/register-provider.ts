import type { Database } from '@nocobase/database';
import { SETTINGS_COLLECTION } from '../store/collection-names';
import type { MailProviderRegistry } from './registry';
import type { MailProvider } from './types';

/**
 * Adds a provider: to the registry, and its columns to the settings row (created on install, added to an existing
 * table on upgrade by NocoBase's sync). Everything else reads the provider from the registry.
 */
export function registerMailProvider(db: Database, registry: MailProviderRegistry, provider: MailProvider): void {
  registry.register(provider);
  db.extendCollection({
    name: SETTINGS_COLLECTION,
    fields: provider.settings.columns.map((column) => ({ ...column })),
  });
}
