import type { Database } from '@nocobase/database';
import type { Transaction } from 'sequelize';

const turns = new WeakMap<Database, Promise<unknown>>();

/**
 * Runs `fn` in a transaction. SQLite has one writer at a time, and Sequelize gives an in-memory SQLite database a
 * single shared connection, so two overlapping transactions break each other ("cannot start a transaction within a
 * transaction", then "no transaction is active"); on a file they collide as SQLITE_BUSY. On SQLite the plugin's
 * transactions therefore take turns; other databases run them side by side, with row locks where callers ask.
 * `fn` must not open another transaction through this function (it would wait for itself).
 */
export function inTransaction<T>(db: Database, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  const run = () => db.sequelize.transaction(fn);
  if (db.sequelize.getDialect() !== 'sqlite') return run();
  const previous = turns.get(db) ?? Promise.resolve();
  const mine = previous.then(run, run);
  turns.set(
    db,
    mine.catch(() => undefined),
  );
  return mine;
}

/**
 * Runs `fn` once the hook's transaction commits (never, if it rolls back), or at once when there is none: hooks
 * fire inside the writing transaction, where another connection (a scan, a listener) would still read the old rows.
 */
export function whenCommitted(options: { transaction?: Pick<Transaction, 'afterCommit'> } = {}, fn: () => void): void {
  if (options.transaction) options.transaction.afterCommit(fn);
  else fn();
}
