import type { Database } from '@nocobase/database';
import type { QueryTypes } from 'sequelize';
import { LOCKS_COLLECTION } from '../store/collection-names';

/** The database's clock in epoch milliseconds, as SQL: leases never depend on a node's clock. */
const NOW_MS: Record<string, string> = {
  // clock_timestamp(), not now(): now() is the start of the transaction, which may be older than the statement.
  postgres: '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint',
  sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
};

/** Dialects whose conditional upsert with RETURNING this file writes (SQLite needs 3.35 or later). */
export function hasLeaseTable(db: Database): boolean {
  return db.sequelize.getDialect() in NOW_MS;
}

/**
 * The `mailLocks` rows, each changed by one conditional statement, so the database decides who holds a key: a lease
 * is taken only where there is no row or its row has run out, and renewed or released only by the acquisition that
 * holds it. A lease row rather than PostgreSQL's advisory locks: an advisory lock lives as long as the session that
 * took it, and a pooled connection cannot be pinned to a lease that outlives one query (ownership is held for hours
 * and renewed); a row with an expiry is also what SQLite can do the same way.
 */
export class LeaseTable {
  private readonly now: string;
  private readonly table: string;
  private readonly column: (name: 'lockKey' | 'holder' | 'expiresAt') => string;

  constructor(private readonly db: Database) {
    const dialect = db.sequelize.getDialect();
    const now = NOW_MS[dialect];
    if (!now) throw new Error(`Leases are not written for ${dialect}`);
    this.now = now;
    const model = db.getModel(LOCKS_COLLECTION);
    const qi = db.sequelize.getQueryInterface();
    const generator = (qi as unknown as { queryGenerator: { quoteTable(table: unknown): string } }).queryGenerator;
    this.table = generator.quoteTable(model.getTableName());
    this.column = (name) => qi.quoteIdentifier(model.rawAttributes[name].field ?? name);
  }

  /** Takes the key for `holder` for `ttlMs` if nobody holds it or its lease ran out; true when taken. */
  async take(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const [k, h, e] = [this.column('lockKey'), this.column('holder'), this.column('expiresAt')];
    // The leading comment keeps Sequelize's SQLite driver from running a statement that starts with INSERT INTO
    // as one that returns no rows: it would drop what RETURNING answers.
    const rows = await this.query(
      `/* lease */ INSERT INTO ${this.table} AS held (${k}, ${h}, ${e}) VALUES (:key, :holder, ${this.now} + :ttl)
       ON CONFLICT (${k}) DO UPDATE SET ${h} = excluded.${h}, ${e} = excluded.${e}
       WHERE held.${e} <= ${this.now}
       RETURNING ${h}`,
      { key, holder, ttl: Math.ceil(ttlMs) },
    );
    return rows.length === 1;
  }

  /** Extends the holder's lease to `ttlMs` from now; false when it is no longer the holder (someone took it over). */
  async renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const [k, h, e] = [this.column('lockKey'), this.column('holder'), this.column('expiresAt')];
    const rows = await this.query(
      `UPDATE ${this.table} SET ${e} = ${this.now} + :ttl WHERE ${k} = :key AND ${h} = :holder RETURNING ${h}`,
      { key, holder, ttl: Math.ceil(ttlMs) },
    );
    return rows.length === 1;
  }

  /** Ends the holder's lease; a lease someone else took meanwhile is left alone. */
  async release(key: string, holder: string): Promise<void> {
    const [k, h] = [this.column('lockKey'), this.column('holder')];
    await this.query(`DELETE FROM ${this.table} WHERE ${k} = :key AND ${h} = :holder`, { key, holder });
  }

  /** How many leases whose key starts with `prefix` have not run out. */
  async countLive(prefix: string): Promise<number> {
    const [k, e] = [this.column('lockKey'), this.column('expiresAt')];
    // substr, not LIKE: app names may hold `_`, a LIKE wildcard.
    const rows = (await this.query(
      `SELECT count(*) AS n FROM ${this.table} WHERE substr(${k}, 1, :length) = :prefix AND ${e} > ${this.now}`,
      { prefix, length: prefix.length },
    )) as { n: number | string }[];
    return Number(rows[0]?.n ?? 0);
  }

  private query(sql: string, replacements: Record<string, unknown>): Promise<unknown[]> {
    // As a SELECT, both dialects' drivers hand back the RETURNING rows.
    return this.db.sequelize.query(sql, {
      replacements,
      type: 'SELECT' as QueryTypes.SELECT,
      raw: true,
    }) as Promise<unknown[]>;
  }
}
