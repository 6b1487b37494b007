import type { Context, Next } from '@nocobase/actions';
import type { AllMailService } from '../sharing/all-mail';
import { actionValues } from './mail-errors';
import { sendAttachment } from './mail-messages';
import { allMailViewerOf } from './viewer';

function params(ctx: Context): Record<string, unknown> {
  return { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
}

/**
 * `mailAllMail:mailboxes|list|get|attachment`: the admin's all-mail view. Every handler checks the setting and
 * the snippet itself (all-mail.ts), so the ACL lets any signed-in user reach it and hear why not.
 */
export function mailAllMailActions(deps: { allMail: AllMailService }) {
  return {
    async mailboxes(ctx: Context, next: Next) {
      ctx.body = await deps.allMail.mailboxes(allMailViewerOf(ctx));
      await next();
    },
    async list(ctx: Context, next: Next) {
      const p = params(ctx);
      ctx.body = await deps.allMail.list(allMailViewerOf(ctx), p.accountId, p);
      await next();
    },
    async get(ctx: Context, next: Next) {
      ctx.body = await deps.allMail.get(allMailViewerOf(ctx), params(ctx).filterByTk);
      await next();
    },
    async attachment(ctx: Context, next: Next) {
      const p = params(ctx);
      sendAttachment(ctx, await deps.allMail.attachment(allMailViewerOf(ctx), p.filterByTk, p.part));
      await next();
    },
  };
}
