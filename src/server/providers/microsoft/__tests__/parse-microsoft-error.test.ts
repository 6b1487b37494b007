import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { MailErrorCode } from '../../../../shared/error-codes';
import { MailError } from '../../../errors/mail-error';
import { parseMicrosoftError } from '../parse-microsoft-error';

/** MSAL's ServerError as it builds it from a token-endpoint error body (msal-common ResponseHandler). */
function serverError(error: string, aadsts: number, text: string, status = 400, suberror?: string) {
  const description = `AADSTS${aadsts}: ${text}\r\nTrace ID: 0b3f2c1e-1f2a-4c4e-9a51-2b7b6c1d7e00\r\nCorrelation ID: 5d1c7f1e-33a4-4b8f-8e0a-7f1d2c3b4a5e\r\nTimestamp: 2026-01-05 10:20:30Z`;
  const message = `Error(s): ${aadsts} - Timestamp: 2026-01-05 10:20:30Z - Description: ${description} - Correlation ID: 5d1c7f1e - Trace ID: 0b3f2c1e`;
  return new ServerError(error, '5d1c7f1e', message, suberror, String(aadsts), status);
}

// Microsoft's published wording for each AADSTS code.
const cases: Array<[string, unknown, MailErrorCode, RegExp]> = [
  [
    'wrong secret (AADSTS7000215)',
    serverError(
      'invalid_client',
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '1f0e…'.",
      401,
    ),
    MailErrorCode.ADMIN_CONFIGURATION,
    /client secret.*Value \(not its Secret ID\)/,
  ],
  [
    'expired secret (AADSTS7000222)',
    serverError(
      'invalid_client',
      7000222,
      "The provided client secret keys for app '1f0e…' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
      401,
    ),
    MailErrorCode.ADMIN_CONFIGURATION,
    /expired.*Create a new client secret/,
  ],
  [
    'unknown app (AADSTS700016)',
    serverError(
      'unauthorized_client',
      700016,
      "Application with identifier '1f0e…' was not found in the directory 'contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    ),
    MailErrorCode.ADMIN_CONFIGURATION,
    /Client ID/,
  ],
  [
    'single-tenant app on /common (AADSTS50194)',
    serverError(
      'invalid_request',
      50194,
      "Application '1f0e…'(Mail) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
    ),
    MailErrorCode.ADMIN_CONFIGURATION,
    /one organization only.*Directory \(tenant\) ID/,
  ],
  [
    'unknown tenant (AADSTS90002), as the metadata endpoint answers',
    {
      error: 'invalid_tenant',
      error_description:
        "AADSTS90002: Tenant 'nosuch' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
      error_codes: [90002],
      status: 400,
    },
    MailErrorCode.ADMIN_CONFIGURATION,
    /does not know the tenant/,
  ],
  [
    'revoked grant (AADSTS50173) as a plain ServerError',
    serverError(
      'invalid_grant',
      50173,
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2026-01-01T00:00:00Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2026-01-02T00:00:00Z'.",
    ),
    MailErrorCode.RECONNECT_REQUIRED,
    /revoked.*Reconnect/,
  ],
  [
    'inactive refresh token (AADSTS700082)',
    serverError(
      'invalid_grant',
      700082,
      'The refresh token has expired due to inactivity. The token was issued on 2025-09-01T00:00:00Z and was inactive for 90.00:00:00.',
    ),
    MailErrorCode.RECONNECT_REQUIRED,
    /Reconnect/,
  ],
  [
    'MFA required (AADSTS50076) as InteractionRequiredAuthError',
    new InteractionRequiredAuthError(
      'invalid_grant',
      'corr',
      "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.",
      'basic_action',
    ),
    MailErrorCode.RECONNECT_REQUIRED,
    /multi-factor/,
  ],
  [
    'unknown AADSTS code with an interaction suberror',
    new InteractionRequiredAuthError('invalid_grant', 'corr', 'AADSTS123456: Something new.', 'bad_token'),
    MailErrorCode.RECONNECT_REQUIRED,
    /sign in again/,
  ],
  [
    'user declined consent on the redirect (AADSTS65004)',
    {
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x\r\nCorrelation ID: y',
      suberror: 'cancel',
    },
    MailErrorCode.ACCESS_DENIED,
    /declined/,
  ],
  [
    'throttled (429) without a known code',
    new ServerError(
      'temporarily_unavailable',
      'corr',
      'Error(s): 50196 - Description: AADSTS50196: The server terminated an operation because it encountered a client request loop.',
      undefined,
      '50196',
      429,
    ),
    MailErrorCode.TRANSIENT,
    /retried automatically/,
  ],
  [
    '503 from the token endpoint',
    new ServerError(
      'server_error',
      'corr',
      'Error(s): 0 - Description: Service unavailable',
      undefined,
      undefined,
      503,
    ),
    MailErrorCode.TRANSIENT,
    /retried automatically/,
  ],
  [
    'network failure inside MSAL',
    new AuthError('network_error', 'Network request failed: fetch failed'),
    MailErrorCode.TRANSIENT,
    /could not be reached/,
  ],
  [
    'authority metadata not loadable',
    new AuthError('endpoints_resolution_error', 'Endpoints cannot be resolved'),
    MailErrorCode.TRANSIENT,
    /could not be reached/,
  ],
  [
    'state mismatch detected by MSAL',
    new AuthError('state_mismatch', 'State mismatch error. Please check your network.'),
    MailErrorCode.INVALID_STATE,
    /Start connecting the mailbox again/,
  ],
];

describe('parseMicrosoftError', () => {
  it.each(cases)('%s', (_name, input, code, wording) => {
    const e = parseMicrosoftError(input);
    expect(e).toBeInstanceOf(MailError);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(wording);
    expect(e.cause).toBe(input);
  });

  it('keeps the AADSTS code for troubleshooting and never the trace lines', () => {
    const e = parseMicrosoftError(cases[0][1]);
    expect(e.providerCode).toBe('AADSTS7000215');
    expect(e.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  it("tells a user to ask the admin instead of giving them the admin's steps", () => {
    const e = parseMicrosoftError(cases[1][1]);
    expect(e.owner).toBe('admin');
    expect(e.userMessage).toMatch(/expired.*Ask your administrator/);
    expect(e.userMessage).not.toMatch(/Certificates & secrets/);
  });

  it("quotes Microsoft's first sentence for an error it does not know", () => {
    const e = parseMicrosoftError(serverError('invalid_request', 9999999, 'A brand-new problem happened.'));
    expect(e.code).toBe(MailErrorCode.PROVIDER_ERROR);
    expect(e.message).toBe('Microsoft refused the request: AADSTS9999999: A brand-new problem happened.');
  });

  it('never throws, whatever it is given', () => {
    for (const input of [undefined, null, 42, 'text', {}, [], new Error('plain')]) {
      expect(() => parseMicrosoftError(input)).not.toThrow();
      expect(parseMicrosoftError(input)).toBeInstanceOf(MailError);
    }
  });

  it('passes a MailError through unchanged', () => {
    const original = new MailError(MailErrorCode.NOT_FOUND, 'gone');
    expect(parseMicrosoftError(original)).toBe(original);
  });
});
