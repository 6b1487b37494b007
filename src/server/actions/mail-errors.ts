import type { Context, Next } from '@nocobase/actions';
import { isDatabaseBusy } from '../db/sqlite-busy';
import { MailError, MailErrorCode } from '../errors/mail-error';

export interface RequestContext {
  headers: Record<string, string | string[] | undefined>;
  protocol: string;
  host: string;
}

/** Seconds a client is asked to wait when the database stayed busy through every retry. */
const BUSY_RETRY_AFTER_S = 5;

function databaseBusy(cause: unknown): MailError {
  return new MailError(
    MailErrorCode.TRANSIENT,
    'The database is busy at the moment. Please try again in a few seconds.',
    { cause },
  );
}

/**
 * Renders MailErrors as `{ errors: [{ message, code }] }` with their status. NocoBase's generic handler would
 * append the `cause`'s own message (MSAL's raw text with trace ids); the plugin shows only its own words.
 * Users get the "ask your administrator" wording for problems only the admin can fix. A database still busy after
 * the waits (SQLite's single writer) is a 503 to retry, not a failure of the action.
 */
export function mailErrors(audience: 'admin' | 'user') {
  return async function renderMailErrors(ctx: Context, next: Next) {
    try {
      await next();
    } catch (caught) {
      const busy = isDatabaseBusy(caught);
      const err = busy ? databaseBusy(caught) : caught;
      if (!(err instanceof MailError)) throw err;
      if (busy) ctx.set('Retry-After', String(BUSY_RETRY_AFTER_S));
      ctx.status = err.status;
      ctx.withoutDataWrapping = true;
      ctx.body = { errors: [{ message: audience === 'user' ? err.userMessage : err.message, code: err.code }] };
      if (err.status >= 500 || err.cause)
        ctx.log?.warn?.(err.message, { code: err.code, providerCode: err.providerCode, cause: err.cause });
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
