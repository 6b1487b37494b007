import { randomBytes } from 'node:crypto';
import type { Context, Next } from '@nocobase/actions';
import { OAUTH_RESULT_MESSAGE_TYPE } from '../../shared/constants';
import type { OAuthResultMessage } from '../../shared/types';
import { bindingCookieName } from '../oauth/browser-binding';
import type { CallbackOutcome, ConnectService } from '../oauth/connect-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { renderResultPage } from '../oauth/result-page';
import { mailboxUrlFor } from '../settings/public-url';
import type { SettingsService } from '../settings/settings-service';

function queryParams(ctx: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.query ?? {})) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/**
 * `GET mailOAuth:callback`: the browser's return from Microsoft. Public (a redirect carries no NocoBase token);
 * the user comes from the stored state, the browser from the binding cookie. Always answers with a small page.
 */
export function mailOAuthActions(deps: { connect: ConnectService; settings: SettingsService }) {
  return {
    async callback(ctx: Context, next: Next) {
      let outcome: CallbackOutcome;
      try {
        outcome = await deps.connect.complete(queryParams(ctx), ctx.cookies.get(bindingCookieName(ctx.app.name)));
      } catch (err) {
        // The user is looking at a popup: answer with the page, not a JSON error, whatever broke.
        ctx.log?.error?.('mail connect callback failed', { err });
        outcome = { ok: false, error: new MailError(MailErrorCode.TRANSIENT, 'Something went wrong while finishing the sign-in. Try connecting again.', { status: 500 }) };
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
      if (!outcome.ok) ctx.log?.info?.('mail connect refused', { code: outcome.error.code, providerCode: outcome.error.providerCode });

      const nonce = randomBytes(16).toString('base64');
      ctx.status = outcome.ok ? 200 : outcome.error.status;
      ctx.withoutDataWrapping = true;
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      // The URL holds the code and state: never send it on as a Referer.
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('Content-Security-Policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
      ctx.body = renderResultPage({ message, targetOrigin: publicUrl ? new URL(publicUrl).origin : null, nextUrl, nonce });
      await next();
    },
  };
}
