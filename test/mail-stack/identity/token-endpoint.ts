import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRegistration } from './apps';
import { authenticateClient } from './client-auth';
import { correlationIdOf, failForOutage, IdentityContext, sendAadError } from './context';
import { tenantIdFor, userFor } from './directory';
import { AadError, errorBody, errors, forcedError } from './errors';
import { readForm, sendJson } from './http';
import { formatScopes, Grant, GRAPH_RESOURCE, OUTLOOK_RESOURCE, parseScopes } from './scopes';
import { opaqueToken, RefreshGrant, TokenCall } from './state';
import { clientInfo, mintAppAccessToken, mintIdToken, mintUserAccessToken } from './tokens';

type Result = { body: Record<string, unknown> } | { error: AadError };

/** The user a token request is about, looked up without consuming anything, for counters and forced errors. */
function emailOf(ctx: IdentityContext, form: Record<string, string>): string | undefined {
  if (form.grant_type === 'authorization_code') return ctx.state.codes.get(form.code)?.email;
  if (form.grant_type === 'refresh_token') return ctx.state.refreshTokens.get(form.refresh_token)?.email;
  return undefined;
}

function pkceMatches(challenge: string, method: string | undefined, verifier: string | undefined) {
  if (!verifier) return false;
  // RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)) with the challenge.
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Picks the one resource a token is for and checks the request stays within what was consented. */
function resolveScopes(
  app: AppRegistration,
  grant: Grant,
  requested: string,
): { resource: string; permissions: string[] } | { error: AadError } {
  const parsed = parseScopes(requested);
  const resources = [...parsed.resources.keys()];
  if (resources.length > 1) return { error: errors.twoResources(requested) };
  const resource = resources[0] ?? (grant[GRAPH_RESOURCE] ? GRAPH_RESOURCE : Object.keys(grant)[0]);
  const granted = grant[resource] || [];
  const asked = [...(parsed.resources.get(resource) || [])].filter((p) => p !== '.default');
  const missing = asked.filter((p) => !granted.some((g) => g.toLowerCase() === p.toLowerCase()));
  if (missing.length || !granted.length) return { error: errors.consentRequired(app.clientId, requested) };
  // Microsoft answers with everything consented for that resource, not only what was asked.
  return { resource, permissions: granted };
}

function issueUserTokens(
  ctx: IdentityContext,
  o: {
    app: AppRegistration;
    email: string;
    tid: string;
    grant: Grant;
    oidc: string[];
    requested: string;
    nonce?: string;
  },
): Result {
  const scopes = resolveScopes(o.app, o.grant, o.requested);
  if ('error' in scopes) return scopes;
  const now = Date.now();
  const user = userFor(o.email, o.tid);
  const lifetime = o.app.accessTokenLifetimeSeconds ?? ctx.state.settings.accessTokenLifetimeSeconds;
  const uti = opaqueToken('', 16);
  ctx.state.issuedAccessTokens.set(uti, now);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: formatScopes(scopes.resource, scopes.permissions),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: mintUserAccessToken(ctx.key, {
      user,
      app: o.app,
      resource: scopes.resource,
      permissions: scopes.permissions,
      now,
      lifetime,
      uti,
    }),
  };
  if (o.oidc.includes('offline_access')) {
    // Rotation: every redemption hands out a new refresh token (the app must keep the newest).
    const rt = opaqueToken('1.AU8A', 700);
    ctx.state.refreshTokens.set(rt, {
      clientId: o.app.clientId,
      email: user.email,
      tid: user.tid,
      grant: o.grant,
      oidc: o.oidc,
      issuedAt: now,
    });
    body.refresh_token = rt;
  }
  if (o.oidc.includes('openid')) {
    body.id_token = mintIdToken(ctx.key, {
      issuerBase: ctx.issuerBase,
      user,
      clientId: o.app.clientId,
      nonce: o.nonce,
      oidc: new Set(o.oidc),
      now,
    });
  }
  body.client_info = clientInfo(user);
  return { body };
}

function redeemCode(ctx: IdentityContext, app: AppRegistration, form: Record<string, string>): Result {
  if (!form.code) return { error: errors.missingParameter('code') };
  const code = ctx.state.codes.get(form.code);
  if (!code) return { error: errors.invalidCode() };
  if (code.clientId !== app.clientId) return { error: errors.grantForOtherClient() };
  if (code.redeemed) return { error: errors.codeRedeemed() };
  if (Date.now() > code.expiresAt) return { error: errors.codeExpired() };
  if ((form.redirect_uri || '') !== code.redirectUri)
    return { error: errors.replyAddressMismatch(form.redirect_uri || '', code.redirectUri) };
  if (code.codeChallenge && !pkceMatches(code.codeChallenge, code.codeChallengeMethod, form.code_verifier))
    return { error: errors.pkceMismatch() };
  if (ctx.state.isRevoked(code.email, code.issuedAt))
    return { error: errors.grantRevoked(new Date(code.issuedAt), new Date(ctx.state.revokedAt.get(code.email)!)) };
  const result = issueUserTokens(ctx, {
    app,
    email: code.email,
    tid: code.tid,
    grant: code.grant,
    oidc: code.oidc,
    requested: form.scope || code.requestedScope,
    nonce: code.nonce,
  });
  // Single use (RFC 6749 §4.1.2), but only once redeemed successfully, as Microsoft does.
  if ('body' in result) code.redeemed = true;
  return result;
}

function redeemRefreshToken(ctx: IdentityContext, app: AppRegistration, form: Record<string, string>): Result {
  if (!form.refresh_token) return { error: errors.missingParameter('refresh_token') };
  const rt: RefreshGrant | undefined = ctx.state.refreshTokens.get(form.refresh_token);
  if (!rt) return { error: errors.refreshTokenMalformed() };
  if (rt.clientId !== app.clientId) return { error: errors.grantForOtherClient() };
  if (ctx.state.isRevoked(rt.email, rt.issuedAt))
    return { error: errors.grantRevoked(new Date(rt.issuedAt), new Date(ctx.state.revokedAt.get(rt.email)!)) };
  if (rt.usedAt && (app.singleUseRefreshTokens ?? ctx.state.settings.singleUseRefreshTokens))
    return { error: errors.refreshTokenExpired(new Date(rt.issuedAt)) };
  const result = issueUserTokens(ctx, {
    app,
    email: rt.email,
    tid: rt.tid,
    grant: rt.grant,
    oidc: rt.oidc,
    requested: form.scope || '',
  });
  if ('body' in result) rt.usedAt = rt.usedAt ?? Date.now();
  return result;
}

function clientCredentials(
  ctx: IdentityContext,
  app: AppRegistration,
  tenant: string,
  form: Record<string, string>,
): Result {
  const scope = (form.scope || '').trim();
  if (!scope) return { error: errors.missingParameter('scope') };
  if (scope.split(/\s+/).length !== 1 || !scope.endsWith('/.default'))
    return { error: errors.defaultScopeRequired(scope) };
  let resource = scope.slice(0, -'/.default'.length).toLowerCase();
  if (resource === 'https://outlook.office365.com') resource = OUTLOOK_RESOURCE;
  const lifetime = app.accessTokenLifetimeSeconds ?? ctx.state.settings.accessTokenLifetimeSeconds;
  const tid = tenantIdFor(app.singleTenant && app.tenantId ? app.tenantId : tenant);
  const token = mintAppAccessToken(ctx.key, {
    app,
    tid,
    resource,
    now: Date.now(),
    lifetime,
    uti: opaqueToken('', 16),
  });
  return { body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token } };
}

export async function handleToken(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, tenant: string) {
  const form = await readForm(req);
  const outage = ctx.state.outageFor({ email: emailOf(ctx, form), clientId: form.client_id });
  if (outage) return failForOutage(ctx, req, res, outage);
  const call: TokenCall = {
    at: Date.now(),
    grantType: form.grant_type || '',
    clientId: form.client_id,
    email: emailOf(ctx, form),
  };
  ctx.state.calls.push(call);

  const forced = ctx.state.takeForcedError(call);
  if (forced) {
    const { e, codes } = forcedError(forced);
    const body = errorBody(e, { correlationId: correlationIdOf(req), errorUriBase: ctx.issuerBase, extraCodes: codes });
    return sendJson(res, e.status, body);
  }

  if (!form.grant_type) return sendAadError(ctx, req, res, errors.missingParameter('grant_type'));
  const auth = authenticateClient(ctx.apps, tenant, form, req);
  if ('error' in auth) return sendAadError(ctx, req, res, auth.error);

  let result: Result;
  switch (form.grant_type) {
    case 'authorization_code':
      result = redeemCode(ctx, auth.app, form);
      break;
    case 'refresh_token':
      result = redeemRefreshToken(ctx, auth.app, form);
      break;
    case 'client_credentials':
      result = clientCredentials(ctx, auth.app, tenant, form);
      break;
    default:
      result = { error: errors.unsupportedGrantType(form.grant_type) };
  }
  if ('error' in result) return sendAadError(ctx, req, res, result.error);
  if (form.grant_type !== 'client_credentials') ctx.state.save();
  return sendJson(res, 200, result.body);
}
