import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRegistry } from './apps';
import { AadError, errorBody, errors } from './errors';
import { sendJson } from './http';
import type { SigningKey } from './jwt';
import type { IdentityState, Outage } from './state';

/** What every endpoint handler needs: keys, registrations, grants, and the public base URL. */
export interface IdentityContext {
  key: SigningKey;
  apps: AppRegistry;
  state: IdentityState;
  /** `https://localhost:<port>`, the authority's origin; issuers and endpoints are built on it. */
  issuerBase: string;
}

/** MSAL sends `client-request-id` (query string or header); Microsoft echoes it as the correlation id. */
export function correlationIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers['client-request-id'];
  if (typeof header === 'string') return header;
  return new URL(req.url || '/', 'http://x').searchParams.get('client-request-id') || undefined;
}

export function sendAadError(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, e: AadError) {
  const body = errorBody(e, { correlationId: correlationIdOf(req), errorUriBase: ctx.issuerBase });
  sendJson(res, e.status, body, { 'x-ms-request-id': body.trace_id, 'client-request-id': body.correlation_id });
}

/** A dropped connection is what an unreachable login host looks like to MSAL and Dovecot. */
export function failForOutage(ctx: IdentityContext, req: IncomingMessage, res: ServerResponse, outage: Outage) {
  // Left open until the client gives up (or the server closes all connections on stop).
  if (outage.hang) return;
  if (!outage.status) return req.socket.destroy();
  return sendAadError(ctx, req, res, { ...errors.temporarilyUnavailable(), status: outage.status });
}
