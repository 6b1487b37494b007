import type { Context, Next } from '@nocobase/actions';
import type { MessageQuery } from '../messages/message-query';
import { actionValues } from './mail-errors';
import { currentUserId } from './mail-messages';

/** `mailFolders:list`: the user's folders (all accounts, or `accountId`), Inbox first, with counts. */
export function mailFoldersActions(deps: { query: MessageQuery }) {
  return {
    async list(ctx: Context, next: Next) {
      const p = { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
      ctx.body = await deps.query.folders(currentUserId(ctx), { accountId: p.accountId });
      await next();
    },
  };
}
