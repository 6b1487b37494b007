import type { Database } from '@nocobase/database';
import { MESSAGES_COLLECTION } from '../store/collection-names';

/** Quoted names: the messages table, its id column, and the index beside it (same schema). */
export interface SearchTables {
  messages: string;
  id: string;
  search: string;
  /** The bare (unquoted) name of the index table, for names derived from it. */
  searchName: string;
}

export function searchTables(db: Database): SearchTables {
  const collection = db.getCollection(MESSAGES_COLLECTION);
  const qi = db.sequelize.getQueryInterface();
  const generator = (qi as unknown as { queryGenerator: { quoteTable(t: unknown): string } }).queryGenerator;
  const table = collection.getTableNameWithSchema() as string | { tableName: string; schema?: string };
  const tableName = typeof table === 'string' ? table : table.tableName;
  const schema = typeof table === 'string' ? undefined : table.schema;
  const searchName = `${tableName}Search`;
  const column = (attribute: string) =>
    qi.quoteIdentifier(collection.model.rawAttributes[attribute]?.field ?? attribute);
  return {
    messages: generator.quoteTable(table),
    id: column('id'),
    search: generator.quoteTable(schema ? { tableName: searchName, schema } : searchName),
    searchName,
  };
}
