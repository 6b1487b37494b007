import type { Context, Next } from '@nocobase/actions';
import type { SharingService } from '../sharing/sharing-service';
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
