import { randomBytes } from 'node:crypto';
import type { Context, Next } from '@nocobase/actions';
import { OAUTH_RESULT_MESSAGE_TYPE } from '../../shared/constants';
import type { OAuthResultMessage } from '../../shared/types';
import { bindingCookieName } from '../oauth/browser-binding';
import type { CallbackOutcome, ConnectService } from '../oauth/connect-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { RELAY_FIELD, renderRelayPage, RESPONSE_FIELDS } from '../oauth/relay-page';
import { renderResultPage } from '../oauth/result-page';
import { mailboxUrlFor } from '../settings/public-url';
import type { SettingsService } from '../settings/settings-service';

/** The sign-in response: the posted form (form_post), else the query of a redirect. Known fields only. */
function responseParams(ctx: Context): Record<string, string> {
  const body = (ctx.request as { body?: unknown }).body;
  const source =
    body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length ? body : (ctx.query ?? {});
  const out: Record<string, string> = {};
  for (const key of [...RESPONSE_FIELDS, RELAY_FIELD]) {
    const v = (source as Record<string, unknown>)[key];
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** NocoBase's request logger writes the action's params (the posted values among them) when the request ends. */
function keepOutOfRequestLog(ctx: Context) {
  if (ctx.action?.params) ctx.action.params.values = {};
}

function securityHeaders(ctx: Context, nonce: string, formAction: string) {
  ctx.withoutDataWrapping = true;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
  );
}

/**
 * `mailOAuth:callback`: the browser's return from the provider's sign-in, posted as a form (form_post). Public (it
 * carries no NocoBase token); the user comes from the stored state, the browser from the binding cookie, which the
 * relay page brings along. Always answers with a small page.
 */
export function mailOAuthActions(deps: { connect: ConnectService; settings: SettingsService }) {
  return {
    async callback(ctx: Context, next: Next) {
      const params = responseParams(ctx);
      keepOutOfRequestLog(ctx);
      const binding = ctx.cookies.get(bindingCookieName(ctx.app.name));
      if (!binding && ctx.method === 'POST' && !params[RELAY_FIELD]) {
        const nonce = randomBytes(16).toString('base64');
        ctx.status = 200;
        securityHeaders(ctx, nonce, "'self'");
        ctx.body = renderRelayPage({ fields: params, nonce });
        return next();
      }
      let outcome: CallbackOutcome;
      try {
        outcome = await deps.connect.complete(params, binding);
      } catch (err) {
        // The user is looking at a popup: answer with the page, not a JSON error, whatever broke.
        ctx.log?.error?.('mail connect callback failed', { err });
        outcome = {
          ok: false,
          error: new MailError(
            MailErrorCode.TRANSIENT,
            'Something went wrong while finishing the sign-in. Try connecting again.',
            { status: 500 },
          ),
        };
      }
      // Only the saved public URL: a page linking here controls Origin and Referer (and, without a proxy that
      // overwrites them, the forwarded headers), so they must never pick where the outcome goes.
      const { publicUrl } = await deps.settings.load();
      const message: OAuthResultMessage = outcome.ok
        ? { type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, accountId: outcome.accountId }
        : { type: OAUTH_RESULT_MESSAGE_TYPE, ok: false, error: outcome.error.userMessage, code: outcome.error.code };
      const nextUrl = outcome.ok
        ? mailboxUrlFor(publicUrl, { connect: 'ok', accountId: String(outcome.accountId) })
        : mailboxUrlFor(publicUrl, { connect: 'error', reason: outcome.error.userMessage, code: outcome.error.code });
      if (!outcome.ok)
        ctx.log?.info?.('mail connect refused', { code: outcome.error.code, providerCode: outcome.error.providerCode });

      const nonce = randomBytes(16).toString('base64');
      ctx.status = outcome.ok ? 200 : outcome.error.status;
      securityHeaders(ctx, nonce, "'none'");
      ctx.body = renderResultPage({
        message,
        targetOrigin: publicUrl ? new URL(publicUrl).origin : null,
        nextUrl,
        nonce,
      });
      await next();
    },
  };
}
