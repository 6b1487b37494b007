import type { Database } from '@nocobase/database';
import type { SearchTerm } from './parse-query';
import { SearchDocument } from './search-document';
import { DOCUMENT_COLUMNS, documentValues, FIELD_COLUMNS, SearchIndex } from './search-index';
import { searchTables } from './search-tables';

/** One term as a tsquery: folded words joined by `<->` (followed by), `:*` on the last for a prefix. */
export function tsqueryTerm(term: SearchTerm): string {
  // Folded words are letters and digits only (fold.ts): quoting them as lexemes needs no escaping.
  const words = term.words.map((w) => `'${w}'`);
  if (term.prefix) words[words.length - 1] += ':*';
  return words.length > 1 ? `(${words.join(' <-> ')})` : words[0];
}

const tsvector = (bind: string) => `to_tsvector('simple', ${bind})`;

/**
 * PostgreSQL: a table of tsvectors (configuration `simple`, on text folded by fold.ts) with a GIN index on the
 * whole document; `from:`/`to:`/`cc:`/`subject:` also test their field's own tsvector, on the rows the GIN
 * index found.
 */
export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly db: Database) {}

  private get t() {
    return searchTables(this.db);
  }

  async ensure(): Promise<void> {
    const { search, searchName } = this.t;
    const fields = DOCUMENT_COLUMNS.filter((c) => c !== 'body').map((c) => `${c} tsvector NOT NULL`);
    await this.db.sequelize.query(
      `CREATE TABLE IF NOT EXISTS ${search} (id bigint PRIMARY KEY, ${fields.join(', ')}, document tsvector NOT NULL)`,
    );
    const index = this.db.sequelize.getQueryInterface().quoteIdentifier(`${searchName}_document`);
    await this.db.sequelize.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${search} USING gin (document)`);
  }

  async write(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return;
    const bind: unknown[] = [];
    const mark = (v: unknown) => {
      bind.push(v);
      return `$${bind.length}`;
    };
    const rows = docs.map((d) => {
      const [subject, sender, to, cc, body] = documentValues(d).map(mark);
      const fields = [subject, sender, to, cc].map(tsvector);
      // The fields in order, so a phrase never runs from one field into the next (|| shifts positions).
      const document = [...fields, tsvector(body)].join(' || ');
      return `(${mark(d.id)}, ${fields.join(', ')}, ${document})`;
    });
    const columns = DOCUMENT_COLUMNS.filter((c) => c !== 'body');
    await this.db.sequelize.query(
      `INSERT INTO ${this.t.search} (id, ${columns.join(', ')}, document) VALUES ${rows.join(', ')} ` +
        `ON CONFLICT (id) DO UPDATE SET ${[...columns, 'document'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      { bind },
    );
  }

  async remove(ids: number[]): Promise<void> {
    if (!ids.length) return;
    await this.db.sequelize.query(`DELETE FROM ${this.t.search} WHERE id IN (${ids.map(Number).join(', ')})`);
  }

  async removeOrphans(): Promise<void> {
    const { search, messages, id } = this.t;
    await this.db.sequelize.query(
      `DELETE FROM ${search} s WHERE NOT EXISTS (SELECT 1 FROM ${messages} m WHERE m.${id} = s.id)`,
    );
  }

  async indexed(ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const [rows] = await this.db.sequelize.query(
      `SELECT id FROM ${this.t.search} WHERE id IN (${ids.map(Number).join(', ')})`,
    );
    return new Set((rows as { id: number | string }[]).map((r) => Number(r.id)));
  }

  matching(terms: SearchTerm[]): string {
    const q = (text: string) => `to_tsquery('simple', ${this.db.sequelize.escape(text)})`;
    const conditions = [`document @@ ${q(terms.map(tsqueryTerm).join(' & '))}`];
    for (const term of terms)
      if (term.field !== 'any') conditions.push(`${FIELD_COLUMNS[term.field]} @@ ${q(tsqueryTerm(term))}`);
    return `SELECT id FROM ${this.t.search} WHERE ${conditions.join(' AND ')}`;
  }
}
