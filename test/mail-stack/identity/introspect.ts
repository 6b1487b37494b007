import type { IncomingMessage, ServerResponse } from 'node:http';
import { failForOutage, IdentityContext } from './context';
import { readForm, sendJson } from './http';
import { verifyJwt } from './jwt';
import { IMAP_SCOPE, OUTLOOK_RESOURCE, SMTP_SCOPE } from './scopes';

/**
 * Which permission a login needs. Dovecot does not say which service asks (see
 * dovecot.ts), so without `?service=imap|smtp` either mail permission will do.
 */
function requiredScope(service: string | null): string[] {
  if (service === 'imap') return [IMAP_SCOPE];
  if (service === 'smtp') return [SMTP_SCOPE];
  return [IMAP_SCOPE, SMTP_SCOPE];
}

/** The claims introspection looks at (see tokens.ts for the full set). */
interface AccessTokenClaims {
  aud: string;
  idtyp: string;
  upn?: string;
  scp?: string;
  uti: string;
  iat: number;
  exp: number;
  appid: string;
  sub: string;
}

/**
 * RFC 7662-style introspection for Dovecot's oauth2 passdb (`introspection_mode = post`).
 * Active only for a token we signed, for the Outlook resource, carrying the
 * permission the service needs, not expired (also by hook) and not revoked: the
 * same conditions under which Outlook's IMAP/SMTP accept a token.
 */
export async function handleIntrospect(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const form = await readForm(req);
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization || '')?.[1];
  const token = form.token || bearer || '';
  const claims = verifyJwt<AccessTokenClaims>(ctx.key, token);
  const inactive = (reason: string) => sendJson(res, 200, { active: false, reason });
  if (!claims) return inactive('not a token from this issuer');
  if (claims.aud !== OUTLOOK_RESOURCE) return inactive(`audience ${claims.aud} is not ${OUTLOOK_RESOURCE}`);
  if (claims.idtyp !== 'user' || !claims.upn) return inactive('app-only token');
  const email = String(claims.upn).toLowerCase();
  const outage = ctx.state.outageFor({ email, clientId: claims.appid });
  if (outage) return failForOutage(ctx, req, res, outage);
  const scopes = String(claims.scp || '').split(' ');
  const needed = requiredScope(url.searchParams.get('service'));
  if (!needed.some((s) => scopes.includes(s))) return inactive(`missing scope ${needed.join(' or ')}`);
  const issuedAt = ctx.state.issuedAccessTokens.get(claims.uti) ?? claims.iat * 1000;
  if (claims.exp * 1000 <= Date.now() || ctx.state.isForcedExpired(email, issuedAt)) return inactive('expired');
  if (ctx.state.isRevoked(email, issuedAt)) return inactive('revoked');
  return sendJson(res, 200, {
    active: true,
    email,
    scope: claims.scp,
    client_id: claims.appid,
    exp: claims.exp,
    sub: claims.sub,
    token_type: 'Bearer',
  });
}
