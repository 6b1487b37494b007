import fs from 'node:fs';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { handleAuthorize } from './authorize';
import { AppRegistration, AppRegistry } from './apps';
import { failForOutage, IdentityContext, sendAadError } from './context';
import { CONSUMERS_TENANT_ID, isKnownTenant, isSharedSegment } from './directory';
import { errors } from './errors';
import { redirect, sendHtml, sendJson } from './http';
import { handleHook } from './hooks';
import { handleIntrospect } from './introspect';
import { jwks, loadOrCreateSigningKey } from './jwt';
import { handleToken } from './token-endpoint';
import { IdentityState } from './state';

export interface IdentityServerOptions {
  httpsPort: number;
  /** Plain-HTTP loopback listener for Dovecot's introspection and the test hooks. */
  httpPort: number;
  certPath: string;
  keyPath: string;
  /** Keeps the signing key and refresh grants; omit for a throwaway in-memory server. */
  stateDir?: string;
  apps?: AppRegistration[];
}

export interface IdentityServer {
  issuerBase: string;
  httpsPort: number;
  httpPort: number;
  close(): Promise<void>;
}

/** OpenID Provider Metadata as Microsoft publishes it per tenant segment. */
function openIdConfiguration(base: string, tenant: string) {
  const t = tenant.toLowerCase();
  // Shared segments publish the issuer as a template; MSAL substitutes the tid from the token.
  const issuerTenant = t === 'consumers' ? CONSUMERS_TENANT_ID : isSharedSegment(t) ? '{tenantid}' : tenant;
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

async function route(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, secure: boolean) {
  const url = new URL(req.url || '/', ctx.issuerBase);
  if (url.pathname.startsWith('/_test/')) return handleHook(ctx, req, res, url);

  // A global outage stops everything; per-user/app ones are checked once the request says who it is about.
  const outage = ctx.state.outageFor();
  if (outage && !outage.email && !outage.clientId) return failForOutage(ctx, req, res, outage);

  if (url.pathname === '/introspect' && req.method === 'POST') return handleIntrospect(ctx, req, res, url);
  if (!secure) return sendJson(res, 404, { error: 'not_found' });

  const m = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
  const tenant = m?.[1] ?? '';
  const rest = m?.[2] ?? '';
  if (rest === 'discovery/instance') {
    // Instance discovery, for clients that do not set knownAuthorities.
    return sendJson(res, 200, {
      tenant_discovery_endpoint: `${ctx.issuerBase}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
    });
  }
  if (!m || !isKnownTenant(tenant)) {
    return sendAadError(ctx, req, res, errors.tenantNotFound(tenant || '(none)'));
  }
  switch (`${req.method} ${rest}`) {
    case 'GET v2.0/.well-known/openid-configuration':
      return sendJson(res, 200, openIdConfiguration(ctx.issuerBase, tenant));
    case 'GET discovery/v2.0/keys':
    case 'GET discovery/keys':
      return sendJson(res, 200, jwks(ctx.key));
    case 'GET oauth2/v2.0/authorize':
    case 'POST oauth2/v2.0/authorize':
      return handleAuthorize(ctx, req, res, tenant, url);
    case 'POST oauth2/v2.0/token':
      return handleToken(ctx, req, res, tenant);
    case 'GET oauth2/v2.0/logout': {
      const after = url.searchParams.get('post_logout_redirect_uri');
      return after
        ? redirect(res, after)
        : sendHtml(res, 200, '<!doctype html><title>Signed out</title><p>You signed out of your account.</p>');
    }
    default:
      return sendJson(res, 404, { error: 'not_found', path: url.pathname });
  }
}

function listen(server: http.Server, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startIdentityServer(opts: IdentityServerOptions): Promise<IdentityServer> {
  const issuerBase = `https://localhost:${opts.httpsPort}`;
  const ctx: IdentityContext = {
    key: loadOrCreateSigningKey(opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'identity-'))),
    apps: new AppRegistry(),
    state: new IdentityState(opts.stateDir ? path.join(opts.stateDir, 'grants.json') : undefined),
    issuerBase,
  };
  for (const app of opts.apps ?? []) ctx.apps.register(app);

  const handler = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    // The plain port carries the tests' hooks. A jest worker whose event loop stalls past the keep-alive timeout
    // reuses a socket this server has just closed, and its fetch fails with "other side closed": one connection a
    // request there.
    if (!secure) res.setHeader('connection', 'close');
    route(ctx, req, res, secure).catch((err) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: 'server_error', error_description: String(err?.message || err) });
      else res.destroy();
    });
  };
  const tlsServer = https.createServer(
    { cert: fs.readFileSync(opts.certPath), key: fs.readFileSync(opts.keyPath) },
    handler(true),
  );
  const plainServer = http.createServer(handler(false));
  await listen(tlsServer, opts.httpsPort);
  await listen(plainServer, opts.httpPort);
  return {
    issuerBase,
    httpsPort: (tlsServer.address() as AddressInfo).port,
    httpPort: (plainServer.address() as AddressInfo).port,
    close: async () => {
      for (const s of [tlsServer, plainServer]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
