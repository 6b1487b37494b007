import type { Context, Next } from '@nocobase/actions';
import { cleanFileName } from '../../shared/mail-reading-files';
import type { MailBulkResult } from '../../shared/mail-reading-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { parseIds, UserId } from '../messages/access';
import type { MessageActions } from '../messages/message-actions';
import type { AttachmentDownload, MessageBodies } from '../messages/message-body';
import type { ListParams, MessageQuery } from '../messages/message-query';
import type { ServerSearch } from '../sync/server-search';
import { actionValues } from './mail-errors';

export interface MailMessagesActionDeps {
  query: MessageQuery;
  bodies: MessageBodies;
  actions: MessageActions;
  serverSearch: ServerSearch;
  /** Whether opening a message marks it read when the request does not say (`markRead`). */
  markReadOnOpen(): boolean;
}

export function currentUserId(ctx: Context): UserId {
  const id = ctx.state?.currentUser?.id;
  if (id === undefined || id === null)
    throw new MailError(MailErrorCode.INVALID_INPUT, 'Sign in to NocoBase first.', { status: 401 });
  return id;
}

/** Query parameters and `values` together: GET requests carry the first, POST bodies the second. */
function params(ctx: Context): Record<string, unknown> {
  return { ...(ctx.action?.params ?? {}), ...actionValues(ctx) };
}

function idsOf(ctx: Context): number[] {
  const p = params(ctx);
  return parseIds(p.filterByTk ?? p.ids);
}

function bulk(ids: number[]): MailBulkResult {
  return { ids };
}

/**
 * ASCII fallback and RFC 6266/5987 `filename*` for a Content-Disposition header; no quotes, paths, controls or
 * bidi overrides.
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const clean =
    (cleanFileName(filename) ?? '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f"\\/]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 200) || 'attachment';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** Streams an attachment as a download (or an inline raster image) with headers that keep mail content inert. */
export function sendAttachment(ctx: Context, file: AttachmentDownload): void {
  try {
    ctx.set('Content-Type', file.contentType);
    ctx.set('Content-Disposition', contentDisposition(file.inline ? 'inline' : 'attachment', file.filename));
    // Mail content is hostile: never sniffed into HTML, never scriptable even when opened directly.
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'private, max-age=300');
  } catch (err) {
    // The IMAP stream holds the account's mailbox lock until it ends: one nobody reads must be destroyed.
    file.content.destroy();
    throw err;
  }
  ctx.withoutDataWrapping = true;
  ctx.status = 200;
  ctx.body = file.content;
}

/**
 * `mailMessages:*`: every handler works on the signed-in user's own accounts only (see messages/access.ts), so a
 * foreign id is a 404 through every action.
 */
export function mailMessagesActions(deps: MailMessagesActionDeps) {
  return {
    async list(ctx: Context, next: Next) {
      ctx.body = await deps.query.list(currentUserId(ctx), params(ctx) as ListParams);
      await next();
    },
    async get(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const p = params(ctx);
      let view = await deps.bodies.get(userId, p.filterByTk);
      const markRead =
        p.markRead === undefined
          ? deps.markReadOnOpen()
          : p.markRead === true || p.markRead === 'true' || p.markRead === '1';
      if (markRead && !view.read) {
        await deps.actions.setFlag(userId, [Number(view.id)], { read: true });
        view = { ...view, read: true };
      }
      ctx.body = view;
      await next();
    },
    async attachment(ctx: Context, next: Next) {
      const p = params(ctx);
      const file = await deps.bodies.attachment(
        currentUserId(ctx),
        p.filterByTk,
        p.part,
        p.inline === '1' || p.inline === 'true' || p.inline === true,
      );
      sendAttachment(ctx, file);
      await next();
    },
    async recipients(ctx: Context, next: Next) {
      ctx.body = await deps.bodies.recipients(currentUserId(ctx), params(ctx).filterByTk);
      await next();
    },
    async markRead(ctx: Context, next: Next) {
      ctx.body = bulk(await deps.actions.setFlag(currentUserId(ctx), idsOf(ctx), { read: true }));
      await next();
    },
    async markUnread(ctx: Context, next: Next) {
      ctx.body = bulk(await deps.actions.setFlag(currentUserId(ctx), idsOf(ctx), { read: false }));
      await next();
    },
    async flag(ctx: Context, next: Next) {
      ctx.body = bulk(await deps.actions.setFlag(currentUserId(ctx), idsOf(ctx), { flagged: true }));
      await next();
    },
    async unflag(ctx: Context, next: Next) {
      ctx.body = bulk(await deps.actions.setFlag(currentUserId(ctx), idsOf(ctx), { flagged: false }));
      await next();
    },
    async move(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const ids = idsOf(ctx);
      ctx.body = bulk(await deps.actions.move(userId, ids, params(ctx).folderId));
      await next();
    },
    async delete(ctx: Context, next: Next) {
      ctx.body = bulk(await deps.actions.remove(currentUserId(ctx), idsOf(ctx)));
      await next();
    },
    async serverSearch(ctx: Context, next: Next) {
      const p = params(ctx);
      ctx.body = await deps.serverSearch.run(currentUserId(ctx), {
        accountId: p.accountId,
        folderId: p.folderId,
        query: p.query,
      });
      await next();
    },
  };
}
