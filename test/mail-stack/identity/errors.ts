import { randomUUID } from 'node:crypto';

/**
 * Errors in the shape Microsoft's v2.0 endpoints return them: MSAL reads `error`,
 * `error_description`, `error_codes` and `suberror`, and product code classifies on
 * the `AADSTSnnnnn` prefix of the description, so both must look like the real thing.
 */
export interface AadError {
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

export function aad(status: number, error: string, code: number, message: string, suberror?: string): AadError {
  return { status, error, code, message, suberror };
}

/** Wording follows Microsoft's published AADSTS messages. */
export const errors = {
  missingParameter: (name: string) =>
    aad(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  tenantNotFound: (tenant: string) =>
    aad(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownClient: (clientId: string, tenant: string) =>
    aad(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  singleTenantOnCommon: (clientId: string, name: string) =>
    aad(
      400,
      'invalid_request',
      50194,
      `Application '${clientId}'(${name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    ),
  missingSecret: () =>
    aad(
      401,
      'invalid_client',
      7000218,
      `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
    ),
  wrongSecret: (clientId: string) =>
    aad(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredSecret: (clientId: string) =>
    aad(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    ),
  redirectMismatch: (uri: string, clientId: string) =>
    aad(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  unsupportedResponseType: (type: string) =>
    aad(400, 'unsupported_response_type', 700054, `response_type '${type}' is not enabled for the application.`),
  unsupportedGrantType: (type: string) =>
    aad(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${type}'.`),
  invalidCode: () => aad(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  codeExpired: () =>
    aad(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  codeRedeemed: () =>
    aad(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  grantForOtherClient: () =>
    aad(
      400,
      'invalid_grant',
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.',
    ),
  replyAddressMismatch: (given: string, original: string) =>
    aad(
      400,
      'invalid_grant',
      500112,
      `The reply address '${given}' does not match the reply address '${original}' provided when requesting Authorization code.`,
    ),
  pkceMismatch: () =>
    aad(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  grantRevoked: (issued: Date, validFrom: Date) =>
    aad(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${iso(issued)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${iso(validFrom)}'.`,
    ),
  refreshTokenExpired: (issued: Date) =>
    aad(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${iso(issued)} and was inactive for 90.00:00:00.`,
    ),
  refreshTokenMalformed: () => aad(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  consentRequired: (clientId: string, scopes: string) =>
    aad(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource. Scopes: ${scopes}.`,
      'consent_required',
    ),
  twoResources: (scopes: string) =>
    aad(
      400,
      'invalid_request',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopes} is not valid.`,
    ),
  defaultScopeRequired: (scopes: string) =>
    aad(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopes} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  userDeclined: () => aad(400, 'access_denied', 65004, 'User declined to consent to access the app.'),
  loginRequired: () => aad(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'),
  unknownUser: (login: string, tenant: string) =>
    aad(
      400,
      'invalid_request',
      50034,
      `The user account {EUII Hidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory. (${login})`,
    ),
  temporarilyUnavailable: () =>
    aad(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Try again.'),
};

function iso(d: Date) {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function stamp(d: Date) {
  // Microsoft prints `2024-05-01 10:20:30Z` in descriptions and ISO with a space in `timestamp`.
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** The JSON body, with trace/correlation ids appended to the description on CRLF-separated lines, as Microsoft does. */
export function errorBody(
  e: AadError,
  opts: { correlationId?: string; errorUriBase: string; extraCodes?: number[] },
): AadErrorBody {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = opts.correlationId || randomUUID();
  const body: AadErrorBody = {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${stamp(now)}`,
    error_codes: opts.extraCodes ?? [e.code],
    timestamp: stamp(now),
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${opts.errorUriBase}/error?code=${e.code}`,
  };
  if (e.suberror) body.suberror = e.suberror;
  return body;
}

/** A test-supplied error; the description may carry its own `AADSTSnnnnn:` prefix. */
export function forcedError(f: {
  error: string;
  description: string;
  errorCodes?: number[];
  suberror?: string;
  status?: number;
}): { e: AadError; codes?: number[] } {
  const m = /^AADSTS(\d+):\s*([\s\S]*)$/.exec(f.description || '');
  const code = m ? Number(m[1]) : (f.errorCodes?.[0] ?? 0);
  const status = f.status ?? (f.error === 'invalid_client' ? 401 : 400);
  return { e: aad(status, f.error, code, m ? m[2] : f.description || '', f.suberror), codes: f.errorCodes };
}
