import { type Database, Transaction } from '@nocobase/database';

/**
 * Makes writers on SQLite wait for each other instead of failing. NocoBase opens a connection per transaction, and
 * Sequelize starts each one DEFERRED: it reads under a shared lock and asks for the write lock only at its first
 * write. If another connection took the write lock in between, SQLite answers SQLITE_BUSY at once, without
 * waiting (waiting could deadlock: the other writer needs this reader gone to commit), and Sequelize's retries of
 * that statement meet the same answer. An IMMEDIATE transaction takes the write lock at BEGIN, where SQLite
 * does wait (node-sqlite3's busy timeout of 1 s, retried five times by Sequelize): writers queue up.
 * It applies to every transaction of the app, NocoBase's own included: the 500s it prevents are theirs too.
 */
export function makeSqliteWritersWait(db: Database): void {
  if (db.sequelize.getDialect() !== 'sqlite') return;
  (db.sequelize as unknown as { options: { transactionType?: string } }).options.transactionType =
    Transaction.TYPES.IMMEDIATE;
}

/** Sequelize turns SQLite's SQLITE_BUSY into a TimeoutError and keeps the driver's error as `parent`. */
export function isDatabaseBusy(err: unknown): boolean {
  const e = err as { name?: string; code?: string; parent?: { code?: string }; original?: { code?: string } } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === 'SQLITE_BUSY' || e.parent?.code === 'SQLITE_BUSY' || e.original?.code === 'SQLITE_BUSY';
}
