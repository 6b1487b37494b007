import { Migration } from '@nocobase/server';
import { MICROSOFT_PROVIDER_KEY } from '../../shared/providers/microsoft';
import { SETTINGS_COLLECTION } from '../store/collection-names';

/**
 * 0.2.0 adds the settings row's `provider` column. A row saved by 0.1.x has it empty after NocoBase's sync adds the
 * column; such a row can only configure Microsoft, the one provider 0.1.x had. Runs after the sync (the column must
 * exist) and once per app (NocoBase records it); rows that name a provider are left alone.
 */
export default class SettingsProviderMigration extends Migration {
  on = 'afterSync';
  /** Any NocoBase version: what matters is the plugin's schema, and NocoBase records that this ran. */
  appVersion = '';

  async up() {
    const repo = this.db.getRepository(SETTINGS_COLLECTION);
    const rows = await repo.find({ fields: ['id', 'provider'] });
    for (const row of rows) {
      if (row.get('provider')) continue;
      await repo.update({
        filterByTk: row.get('id') as number,
        values: { provider: MICROSOFT_PROVIDER_KEY },
        hooks: false,
      });
    }
  }
}
