import type { IncomingMessage } from 'node:http';
import type { AppRegistration, AppRegistry } from './apps';
import { isSharedSegment } from './directory';
import { AadError, errors } from './errors';

/** Whether `app` may be used through this tenant segment at all. */
export function checkAppForTenant(app: AppRegistration, tenant: string): AadError | undefined {
  if (!app.singleTenant) return undefined;
  if (isSharedSegment(tenant)) return errors.singleTenantOnCommon(app.clientId, app.displayName!);
  // A single-tenant app exists only in its home directory.
  if (app.tenantId && tenant.toLowerCase() !== app.tenantId.toLowerCase())
    return errors.unknownClient(app.clientId, tenant);
  return undefined;
}

/** Client credentials from the body or HTTP Basic (RFC 6749 §2.3.1); confidential clients only. */
export function authenticateClient(
  apps: AppRegistry,
  tenant: string,
  form: Record<string, string>,
  req: IncomingMessage,
): { app: AppRegistration } | { error: AadError } {
  let clientId = form.client_id;
  let secret = form.client_secret;
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization || '');
  if (basic) {
    const [id, pw] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = clientId || decodeURIComponent(id || '');
    secret = secret || decodeURIComponent(pw || '');
  }
  if (!clientId) return { error: errors.missingParameter('client_id') };
  const app = apps.get(clientId);
  if (!app) return { error: errors.unknownClient(clientId, tenant) };
  const tenantError = checkAppForTenant(app, tenant);
  if (tenantError) return { error: tenantError };
  if (!secret) return { error: errors.missingSecret() };
  if (secret !== app.secret) return { error: errors.wrongSecret(clientId) };
  if (app.secretExpired) return { error: errors.expiredSecret(clientId) };
  return { app };
}
