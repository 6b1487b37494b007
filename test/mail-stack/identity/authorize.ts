import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRegistration } from './apps';
import { correlationIdOf, IdentityContext } from './context';
import { checkAppForTenant } from './client-auth';
import { isUserLogin, tenantIdFor, userFor } from './directory';
import { AadError, errorBody, errors } from './errors';
import { readForm, redirect, sendHtml } from './http';
import { errorPage, formPostPage, signInPage } from './sign-in-page';
import { grantFrom, parseScopes } from './scopes';
import { opaqueToken } from './state';
import { clientInfo } from './tokens';

type Checked =
  | { kind: 'page'; error: AadError }
  | { kind: 'redirect'; error: AadError; app: AppRegistration; redirectUri: string; params: URLSearchParams }
  | { kind: 'ok'; app: AppRegistration; redirectUri: string; params: URLSearchParams };

/**
 * Checks in Microsoft's order: problems that make the redirect URI untrustworthy
 * (unknown app, unregistered redirect URI) show an error page; everything after
 * that is reported back to the app on its redirect URI (RFC 6749 §4.1.2.1).
 */
function check(ctx: IdentityContext, tenant: string, params: URLSearchParams): Checked {
  const clientId = params.get('client_id');
  if (!clientId) return { kind: 'page', error: errors.missingParameter('client_id') };
  const app = ctx.apps.get(clientId);
  if (!app) return { kind: 'page', error: errors.unknownClient(clientId, tenant) };
  const tenantError = checkAppForTenant(app, tenant);
  if (tenantError) return { kind: 'page', error: tenantError };
  const redirectUri = params.get('redirect_uri') || '';
  if (!app.redirectUris.includes(redirectUri))
    return { kind: 'page', error: errors.redirectMismatch(redirectUri, clientId) };

  const fail = (error: AadError): Checked => ({ kind: 'redirect', error, app, redirectUri, params });
  const responseType = params.get('response_type') || '';
  if (responseType !== 'code') return fail(errors.unsupportedResponseType(responseType));
  if (!params.get('scope')) return fail(errors.missingParameter('scope'));
  const method = params.get('code_challenge_method');
  if (params.get('code_challenge') && method && method !== 'S256' && method !== 'plain') {
    return fail({
      ...errors.missingParameter('code_challenge_method'),
      message: `Invalid code_challenge_method '${method}'.`,
    });
  }
  // No browser session is kept, so a silent request can never succeed.
  if (params.get('prompt') === 'none') return fail(errors.loginRequired());
  return { kind: 'ok', app, redirectUri, params };
}

function sendToApp(res: ServerResponse, redirectUri: string, params: URLSearchParams, fields: Record<string, string>) {
  const state = params.get('state');
  if (state !== null) fields.state = state;
  const mode = params.get('response_mode') || 'query';
  if (mode === 'form_post') return sendHtml(res, 200, formPostPage(redirectUri, fields));
  const url = new URL(redirectUri);
  const encoded = new URLSearchParams(fields).toString();
  if (mode === 'fragment') return redirect(res, `${url.origin}${url.pathname}${url.search}#${encoded}`);
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  return redirect(res, url.toString());
}

function sendErrorToApp(
  ctx: IdentityContext,
  req: IncomingMessage,
  res: ServerResponse,
  c: Extract<Checked, { kind: 'redirect' }>,
  subcode?: string,
) {
  const body = errorBody(c.error, { correlationId: correlationIdOf(req), errorUriBase: ctx.issuerBase });
  const fields: Record<string, string> = {
    error: body.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
  };
  if (subcode) fields.error_subcode = subcode;
  sendToApp(res, c.redirectUri, c.params, fields);
}

function permissionsShown(params: URLSearchParams) {
  const parsed = parseScopes(params.get('scope') || '');
  return [...parsed.oidc, ...[...parsed.resources.values()].flatMap((s) => [...s])];
}

export async function handleAuthorize(
  ctx: IdentityContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: string,
  url: URL,
) {
  const posted = req.method === 'POST' ? await readForm(req) : undefined;
  const params = new URLSearchParams(posted ? posted.ctx || '' : url.search);
  const checked = check(ctx, tenant, params);
  if (checked.kind === 'page') {
    const e = checked.error;
    return sendHtml(
      res,
      e.status,
      errorPage({
        code: e.code,
        error: e.error,
        message: e.message,
        correlationId: correlationIdOf(req) || randomUUID(),
      }),
    );
  }
  if (checked.kind === 'redirect') return sendErrorToApp(ctx, req, res, checked);

  const { app, redirectUri } = checked;
  const page = (error?: string) =>
    signInPage({
      action: url.pathname,
      query: params.toString(),
      appName: app.displayName!,
      permissions: permissionsShown(params),
      loginHint: posted?.login || params.get('login_hint') || undefined,
      error,
    });

  if (!posted) return sendHtml(res, 200, page());

  if (posted.action === 'cancel') {
    return sendErrorToApp(
      ctx,
      req,
      res,
      { kind: 'redirect', error: errors.userDeclined(), app, redirectUri, params },
      'cancel',
    );
  }
  const login = (posted.login || '').trim();
  if (!isUserLogin(login)) {
    return sendHtml(res, 200, page(`This username may be incorrect. Enter a name@example.test address. (AADSTS50034)`));
  }

  const user = userFor(login, tenantIdFor(app.singleTenant && app.tenantId ? app.tenantId : tenant));
  const now = Date.now();
  const code = opaqueToken('1.A', 540);
  ctx.state.codes.set(code, {
    clientId: app.clientId,
    redirectUri,
    email: user.email,
    tid: user.tid,
    grant: grantFrom(parseScopes(params.get('scope') || '')),
    oidc: [...parseScopes(params.get('scope') || '').oidc],
    requestedScope: params.get('scope') || '',
    nonce: params.get('nonce') || undefined,
    codeChallenge: params.get('code_challenge') || undefined,
    codeChallengeMethod: params.get('code_challenge_method') || (params.get('code_challenge') ? 'plain' : undefined),
    issuedAt: now,
    expiresAt: now + ctx.state.settings.codeLifetimeSeconds * 1000,
    redeemed: false,
  });
  const fields: Record<string, string> = { code };
  if (params.get('client_info') === '1') fields.client_info = clientInfo(user);
  fields.session_state = randomUUID();
  return sendToApp(res, redirectUri, params, fields);
}
