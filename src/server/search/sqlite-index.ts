import type { Database } from '@nocobase/database';
import type { SearchTerm } from './parse-query';
import { SearchDocument } from './search-document';
import { DOCUMENT_COLUMNS, documentValues, FIELD_COLUMNS, SearchIndex } from './search-index';
import { searchTables } from './search-tables';

/** One term as an FTS5 expression: a quoted phrase of folded words, limited to a column, `*` for a prefix. */
export function fts5Term(term: SearchTerm): string {
  // Folded words are letters and digits only (fold.ts), so they never need escaping inside the quotes.
  const phrase = `"${term.words.join(' ')}"${term.prefix ? ' *' : ''}`;
  return term.field === 'any' ? phrase : `{${FIELD_COLUMNS[term.field]}} : ${phrase}`;
}

/**
 * SQLite: an FTS5 table without a copy of the text (`content=''`, deletable rows), rowid = the message id. Text
 * is folded before it is written (fold.ts), so `unicode61` only splits it into the same words.
 */
export class SqliteSearchIndex implements SearchIndex {
  constructor(private readonly db: Database) {}

  private get t() {
    return searchTables(this.db);
  }

  async ensure(): Promise<void> {
    await this.db.sequelize.query(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${this.t.search} USING fts5(${DOCUMENT_COLUMNS.join(', ')}, ` +
        `content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
    );
  }

  async write(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return;
    const bind: unknown[] = [];
    const rows = docs.map((d) => {
      const values = [d.id, ...documentValues(d)];
      const marks = values.map((v) => {
        bind.push(v);
        return `$${bind.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    await this.db.sequelize.query(
      `INSERT OR REPLACE INTO ${this.t.search} (rowid, ${DOCUMENT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`,
      { bind },
    );
  }

  async remove(ids: number[]): Promise<void> {
    if (!ids.length) return;
    await this.db.sequelize.query(`DELETE FROM ${this.t.search} WHERE rowid IN (${ids.map(Number).join(', ')})`);
  }

  async removeOrphans(): Promise<void> {
    const { search, messages, id } = this.t;
    await this.db.sequelize.query(`DELETE FROM ${search} WHERE rowid NOT IN (SELECT ${id} FROM ${messages})`);
  }

  async indexed(ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const [rows] = await this.db.sequelize.query(
      `SELECT rowid AS id FROM ${this.t.search} WHERE rowid IN (${ids.map(Number).join(', ')})`,
    );
    return new Set((rows as { id: number | string }[]).map((r) => Number(r.id)));
  }

  matching(terms: SearchTerm[]): string {
    const expression = terms.map(fts5Term).join(' AND ');
    return `SELECT rowid FROM ${this.t.search} WHERE ${this.t.search} MATCH ${this.db.sequelize.escape(expression)}`;
  }
}
