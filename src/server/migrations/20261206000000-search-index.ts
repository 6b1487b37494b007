import { Migration } from '@nocobase/server';
import { MessageSearch } from '../search/message-search';

/**
 * 0.3.0 adds the full-text search index (search/): created beside `mailMessages` and filled from the messages an
 * earlier version stored, once, after the sync.
 */
export default class SearchIndexMigration extends Migration {
  on = 'afterSync';
  /** Any NocoBase version: what matters is the plugin's schema, and NocoBase records that this ran. */
  appVersion = '';

  async up() {
    await new MessageSearch(this.db).reconcile();
  }
}
