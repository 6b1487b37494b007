import type { Context, Next } from '@nocobase/actions';
import { getAuthCookieOptions } from '@nocobase/utils';
import type { AccountService } from '../accounts/account-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { bindingCookieName, browserBindingFrom } from '../oauth/browser-binding';
import type { ConnectService } from '../oauth/connect-service';
import { FORGET_LINKS_VALUE } from '../../shared/mail-links';
import { isOn, LinkService } from '../links/link-service';
import { actionValues, requestOrigin } from './mail-errors';

/** Outlives the sign-in state, so a slow sign-in does not lose its binding first. */
const BINDING_MAX_AGE_MS = 60 * 60_000;

function currentUserId(ctx: Context): number | string {
  const id = ctx.state?.currentUser?.id;
  if (id === undefined || id === null)
    throw new MailError(MailErrorCode.INVALID_INPUT, 'Sign in to NocoBase first.', { status: 401 });
  return id;
}

/**
 * `mailAccounts:list|get|connect|disconnect` (`forgetLinks: true` also removes the links made from the mailbox). Every query is scoped to the signed-in user; NocoBase's generic
 * CRUD is not exposed on this collection, so no other path reaches the rows.
 */
export function mailAccountsActions(deps: { accounts: AccountService; connect: ConnectService; links: LinkService }) {
  return {
    async list(ctx: Context, next: Next) {
      ctx.body = await deps.accounts.listForUser(currentUserId(ctx));
      await next();
    },
    async get(ctx: Context, next: Next) {
      ctx.body = await deps.accounts.getForUser(
        currentUserId(ctx),
        parseId(ctx.action.params.filterByTk, 'account', 'filterByTk'),
      );
      await next();
    },
    async connect(ctx: Context, next: Next) {
      const userId = currentUserId(ctx);
      const values = actionValues(ctx);
      const cookie = bindingCookieName(ctx.app.name);
      const binding = browserBindingFrom(ctx.cookies.get(cookie));
      const provider = typeof values.provider === 'string' ? values.provider : undefined;
      ctx.body = await deps.connect.start({ userId, provider, browserBinding: binding, req: requestOrigin(ctx) });
      ctx.cookies.set(cookie, binding, getAuthCookieOptions(ctx, true, BINDING_MAX_AGE_MS));
      await next();
    },
    async disconnect(ctx: Context, next: Next) {
      const id = parseId(ctx.action.params.filterByTk, 'account', 'filterByTk');
      // Links made from the mailbox stay (they match again once its mail is synced again) unless asked otherwise.
      const forget = isOn(actionValues(ctx)[FORGET_LINKS_VALUE] ?? ctx.action.params[FORGET_LINKS_VALUE]);
      await deps.accounts.removeForUser(
        currentUserId(ctx),
        id,
        forget ? { also: (account, options) => deps.links.forgetMailbox(account, options) } : {},
      );
      ctx.body = { id };
      await next();
    },
  };
}
