import type { Database } from '@nocobase/database';
import { Op } from '@nocobase/database';
import type { MailboxScope } from '../sharing/mailbox-scope';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';

/** The viewer's mailbox scope from their user id and the roles of this request (a snippet may widen it). */
export type MailboxScopeOf = (userId: number, roles: string[]) => Promise<MailboxScope[]>;

/** The mailboxes a viewer sees records' mail in when nothing is shared: their own, in full. */
export function ownMailboxScope(db: Database): MailboxScopeOf {
  return async (userId) => {
    const rows = (await db.getModel(ACCOUNTS_COLLECTION).findAll({
      attributes: ['id'],
      where: { userId: { [Op.eq]: userId } },
      raw: true,
    })) as unknown as { id: number }[];
    return rows.map((r) => ({ accountId: Number(r.id), ownerId: userId, own: true, level: 'full' as const }));
  };
}
