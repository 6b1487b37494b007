import type { Collection, Database, Model } from '@nocobase/database';
import type { Transaction } from 'sequelize';
import type { LinkStore } from '../store/link-store';
import { recordKeyOf } from './record-ref';

/**
 * A deleted record takes its links with it, in the same transaction. NocoBase emits `afterDestroy` for every model
 * of the main data source (the repository's destroy, bulk ones included, runs individual hooks by default), so one
 * listener covers every collection, including those created after the plugin loaded. The plugin's own collections
 * are skipped: they are never linked to.
 */
export function removeLinksWithRecords(
  db: Database,
  store: LinkStore,
  isPrivate: (collection: string) => boolean,
): () => void {
  const listener = async (model: Model, options: { transaction?: Transaction } = {}) => {
    const collection = (model.constructor as unknown as { collection?: Collection }).collection;
    if (!collection || isPrivate(collection.name)) return;
    const key = recordKeyOf(collection, model);
    if (key === undefined) return;
    await store.removeForRecord(collection.name, key, { transaction: options.transaction });
  };
  db.on('afterDestroy', listener);
  return () => void db.off('afterDestroy', listener);
}
