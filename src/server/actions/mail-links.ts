import type { Context, Next } from '@nocobase/actions';
import type { LinkService } from '../links/link-service';
import type { RecordReader } from '../links/record-ref';
import { readViewableRecord } from '../records/viewable-record';
import { actionValues } from './mail-errors';
import { currentUserId } from './mail-messages';

/** Query parameters and body values of a request, the body winning. */
function input(ctx: Context): Record<string, unknown> {
  return { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
}

/** Records read with the caller's NocoBase permissions: no view permission → 403, outside their scope → 404. */
export function callerReader(ctx: Context): RecordReader {
  return async (ref) => {
    const viewable = await readViewableRecord(ctx, ref);
    return { collection: viewable.collection, key: viewable.key, title: viewable.title };
  };
}

/**
 * `mailLinks:link|unlink|listForMessage`. `messageId` is the message's row id (as `mailMessages:get` takes it), in
 * one of the caller's mailboxes; the record is read with the caller's permissions.
 */
export function mailLinksActions(deps: { links: LinkService }) {
  return {
    async link(ctx: Context, next: Next) {
      const p = input(ctx);
      ctx.body = await deps.links.link({
        userId: currentUserId(ctx),
        messageRowId: p.messageId,
        collection: p.collection,
        recordKey: p.recordKey,
        whole: p.whole,
        reader: callerReader(ctx),
      });
      await next();
    },
    async unlink(ctx: Context, next: Next) {
      const p = input(ctx);
      const userId = currentUserId(ctx);
      ctx.body =
        p.linkId !== undefined
          ? await deps.links.unlink({ userId, linkId: p.linkId })
          : await deps.links.unlink({
              userId,
              messageRowId: p.messageId,
              collection: p.collection,
              recordKey: p.recordKey,
              whole: p.whole,
            });
      await next();
    },
    async listForMessage(ctx: Context, next: Next) {
      const p = input(ctx);
      ctx.body = await deps.links.linksOf({
        userId: currentUserId(ctx),
        messageRowId: p.messageId,
        reader: callerReader(ctx),
      });
      await next();
    },
  };
}
