import type { Context, Next } from '@nocobase/actions';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { invalidInput } from '../errors/mail-error';
import type { MailAccess } from '../messages/access';
import { actionValues } from './mail-errors';
import { currentUserId } from './mail-messages';

export interface MailAccountSyncDeps {
  access: MailAccess;
  /** Runs a sync (waiting for it on this node when it owns the account) and returns the state after it. */
  syncNow(accountId: number, options: { olderDays?: number }): Promise<MailSyncStatusView>;
  statuses(accountIds: number[]): Promise<MailSyncStatusView[]>;
}

/** Reading actions on the `mailAccounts` resource: `sync` and `syncStatus`. */
export function mailAccountSyncActions(deps: MailAccountSyncDeps) {
  return {
    async sync(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const p = { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
      const accountId = await deps.access.account(userId, p.filterByTk);
      let olderDays: number | undefined;
      if (p.olderDays !== undefined && p.olderDays !== null && p.olderDays !== '') {
        olderDays = Number(p.olderDays);
        if (!Number.isInteger(olderDays) || olderDays < 1 || olderDays > 3650)
          throw invalidInput('olderDays must be a whole number of days from 1 to 3650.');
      }
      ctx.body = await deps.syncNow(accountId, { olderDays });
      await next();
    },
    async syncStatus(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const p = ctx.action?.params ?? {};
      const ids =
        p.filterByTk !== undefined && p.filterByTk !== ''
          ? [await deps.access.account(userId, p.filterByTk)]
          : await deps.access.accountIds(userId);
      ctx.body = await deps.statuses(ids);
      await next();
    },
  };
}
