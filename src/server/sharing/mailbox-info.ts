import type { Database, Model } from '@nocobase/database';
import type { SharedMailboxInfo } from '../../shared/shared-mail-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';

/** Whose mailbox an account row is, as a shared message names it. */
export function toMailboxInfo(row: Model): SharedMailboxInfo {
  const user = row.get('user') as Model | null;
  return {
    accountId: Number(row.get('id')),
    address: row.get('address') as string,
    ownerId: Number(row.get('userId')),
    ownerName: String(user?.get('nickname') || user?.get('email') || ''),
  };
}

export async function mailboxInfo(db: Database, accountId: number): Promise<SharedMailboxInfo> {
  const row = await db.getRepository(ACCOUNTS_COLLECTION).findOne({ filterByTk: accountId, appends: ['user'] });
  if (!row) throw new MailError(MailErrorCode.NOT_FOUND, 'No such mailbox.');
  return toMailboxInfo(row);
}
