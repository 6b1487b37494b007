import type { Context, Next } from '@nocobase/actions';
import type { AccessLog } from '../sharing/access-log';
import type { SharingService } from '../sharing/sharing-service';
import { parseId } from '../input/parse-id';
import { actionValues } from './mail-errors';
import { currentUserId } from './mail-messages';

/** `mailFolders:setPrivate { filterByTk, values: { private } }`: the owner's switch that keeps a folder unshared. */
export function mailFolderSharingActions(deps: { sharing: SharingService }) {
  return {
    async setPrivate(ctx: Context, next: Next) {
      ctx.body = await deps.sharing.setFolderPrivate(
        currentUserId(ctx),
        ctx.action.params.filterByTk,
        actionValues(ctx).private,
      );
      await next();
    },
  };
}

/** `mailAccounts:accessLog [filterByTk]`: who read the owner's mailboxes outside them, newest first. */
export function mailAccessLogActions(deps: { log: AccessLog }) {
  return {
    async accessLog(ctx: Context, next: Next) {
      const raw = ctx.action.params.filterByTk;
      const accountId = raw === undefined || raw === '' ? undefined : parseId(raw, 'account', 'filterByTk');
      ctx.body = await deps.log.forOwner(currentUserId(ctx), accountId);
      await next();
    },
  };
}
