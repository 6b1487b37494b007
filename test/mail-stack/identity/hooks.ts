import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRegistration } from './apps';
import type { IdentityContext } from './context';
import { EXAMPLE_TENANT_ID, userFor } from './directory';
import { readJson, sendJson } from './http';
import { OUTLOOK_RESOURCE, IMAP_SCOPE, SMTP_SCOPE } from './scopes';
import { ForcedError, IdentitySettings, opaqueToken } from './state';
import { mintUserAccessToken } from './tokens';

/** Fields the hooks read; each hook uses a few. */
interface HookBody {
  email?: string;
  clientId?: string;
  down?: boolean;
  status?: number;
  hang?: boolean;
  lifetimeSeconds?: number;
  resource?: string;
  permissions?: string[];
}

/**
 * Test controls under `/_test/`. They change what the real endpoints do next; they
 * never answer on behalf of them. State is shared by every test talking to the
 * stack, so hooks take an email / clientId to stay out of other tests' way.
 */
export async function handleHook(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const route = `${req.method} ${url.pathname.replace(/^\/_test/, '')}`;
  const q = url.searchParams;
  const body: HookBody = req.method === 'POST' ? await readJson<HookBody>(req) : {};
  const { state } = ctx;
  const ok = (extra: Record<string, unknown> = {}) => sendJson(res, 200, { ok: true, ...extra });

  switch (route) {
    case 'GET /health':
      return ok({ issuerBase: ctx.issuerBase });
    case 'POST /apps':
      ctx.apps.register(body as unknown as AppRegistration);
      return ok();
    case 'POST /revoke': {
      // Revoking means "tokens valid from now"; +1 ms keeps a same-millisecond issue on the revoked side.
      state.revokedAt.set(String(body.email).toLowerCase(), Date.now() + 1);
      state.save();
      return ok();
    }
    case 'POST /expire-access-tokens':
      state.expiredBefore.set(body.email ? String(body.email).toLowerCase() : '*', Date.now() + 1);
      return ok();
    case 'POST /fail-next-token':
      state.forcedErrors.push(body as unknown as ForcedError);
      return ok();
    case 'GET /token-calls':
      return ok({
        count: state.countCalls({
          email: q.get('email') || undefined,
          clientId: q.get('clientId') || undefined,
          grantType: q.get('grantType') || undefined,
        }),
      });
    case 'POST /token-calls/reset':
      state.resetCalls({ email: body.email, clientId: body.clientId });
      return ok();
    case 'POST /down':
      state.setOutage(!!body.down, {
        email: body.email,
        clientId: body.clientId,
        status: body.status,
        hang: body.hang,
      });
      return ok();
    case 'POST /configure':
      Object.assign(
        state.settings,
        pick(body as Record<string, unknown>, [
          'accessTokenLifetimeSeconds',
          'codeLifetimeSeconds',
          'singleUseRefreshTokens',
        ]),
      );
      return ok({ settings: state.settings });
    case 'POST /access-token': {
      // A token exactly like the token endpoint's, for tests that drive imapflow/nodemailer directly.
      const app = ctx.apps.get(body.clientId) ?? {
        clientId: 'mailstack-test',
        secret: '',
        redirectUris: [],
        displayName: 'Mail stack tests',
      };
      const now = Date.now();
      const lifetime = body.lifetimeSeconds ?? state.settings.accessTokenLifetimeSeconds;
      const uti = opaqueToken('', 16);
      state.issuedAccessTokens.set(uti, now);
      const token = mintUserAccessToken(ctx.key, {
        user: userFor(String(body.email), EXAMPLE_TENANT_ID),
        app,
        resource: body.resource ?? OUTLOOK_RESOURCE,
        permissions: body.permissions ?? [IMAP_SCOPE, SMTP_SCOPE],
        now,
        lifetime,
        uti,
      });
      return ok({ access_token: token, expires_in: lifetime });
    }
    default:
      return sendJson(res, 404, { ok: false, error: `no hook ${route}` });
  }
}

function pick(o: Record<string, unknown>, keys: (keyof IdentitySettings)[]) {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
