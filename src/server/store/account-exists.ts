import { Database, Transaction } from '@nocobase/database';
import { ACCOUNTS_COLLECTION } from './collection-names';

/**
 * Whether the account still exists, asked by a sync store right after it wrote rows for it: if the account is gone,
 * the store takes back what it wrote. Together with the order of a disconnect (one transaction that deletes the
 * account row first, then everything stored for it) no row outlives its account:
 * - PostgreSQL: the read takes a KEY SHARE lock on the account row, so it waits for a disconnect that has deleted
 *   the row but not yet committed, then sees it gone. Rows written before that delete are removed by the
 *   disconnect itself.
 * - SQLite: one writer at a time, and an in-memory database shares one connection, so a write lands either before
 *   the account row is deleted (the disconnect then removes it) or after (this read sees the account gone).
 */
export async function accountExists(db: Database, accountId: number): Promise<boolean> {
  return (await existingAccounts(db, [accountId])).has(accountId);
}

/** The same question for several accounts in one statement (see BatchedCalls). */
export async function existingAccounts(db: Database, accountIds: number[]): Promise<Set<number>> {
  const rows = (await db.getModel(ACCOUNTS_COLLECTION).findAll({
    attributes: ['id'],
    where: { id: [...new Set(accountIds)] },
    // Ignored by dialects without row locks (SQLite).
    lock: Transaction.LOCK.KEY_SHARE,
    raw: true,
  })) as unknown as Array<{ id: number | string }>;
  return new Set(rows.map((r) => Number(r.id)));
}
