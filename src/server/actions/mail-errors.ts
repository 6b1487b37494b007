import type { Context, Next } from '@nocobase/actions';
import { MailError } from '../errors/mail-error';

export interface RequestContext {
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
  host: string;
}

/**
 * Renders MailErrors as `{ errors: [{ message, code }] }` with their status. NocoBase's generic handler would
 * append the `cause`'s own message (MSAL's raw text with trace ids); the plugin shows only its own words.
 * Users get the "ask your administrator" wording for problems only the admin can fix.
 */
export function mailErrors(audience: 'admin' | 'user') {
  return async function renderMailErrors(ctx: Context, next: Next) {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof MailError)) throw err;
      ctx.status = err.status;
      ctx.withoutDataWrapping = true;
      ctx.body = { errors: [{ message: audience === 'user' ? err.userMessage : err.message, code: err.code }] };
      if (err.status >= 500 || err.cause) ctx.log?.warn?.(err.message, { code: err.code, providerCode: err.providerCode, cause: err.cause });
    }
  };
}

/** The request facts the settings need to work out the app's public address. */
export function requestOrigin(ctx: Context): RequestContext {
  return { headers: ctx.headers as RequestContext['headers'], protocol: ctx.protocol, host: ctx.host };
}

/** `values` of an action, as an object. */
export function actionValues(ctx: Context): Record<string, unknown> {
  const values = ctx.action?.params?.values;
  return values && typeof values === 'object' && !Array.isArray(values) ? values : {};
}
