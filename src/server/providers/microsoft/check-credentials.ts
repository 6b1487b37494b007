import { MailError, MailErrorCode } from '../../errors/mail-error';
import type { MailSettingsRecord } from '../../settings/settings-types';
import { EXTRA_OPENID_SCOPES, outlookScopes } from './clouds';
import { createMsalClient } from './msal-client';
import { parseMicrosoftError } from './parse-microsoft-error';
import { effectiveEndpoints } from './settings';

const PROBE_CODE = 'mailbridge-credentials-check';

/**
 * Checks the Client ID, secret and tenant against the token endpoint without a user: it redeems a made-up
 * authorization code. Microsoft authenticates the client before it looks at the code, so `invalid_grant` for the
 * code means the credentials were accepted, while a bad secret, an unknown app or a single-tenant app on
 * `common` fail with their own AADSTS codes. (A client-credentials grant would also work, but not on `common`.)
 * The tenant's metadata is loaded afresh first, so an unknown tenant or unreachable host is named as such.
 */
export async function checkMicrosoftCredentials(settings: MailSettingsRecord, redirectUri: string): Promise<void> {
  const client = await createMsalClient(settings, undefined, { freshMetadata: true });
  try {
    await client.acquireTokenByCode({
      code: PROBE_CODE,
      redirectUri,
      scopes: [...outlookScopes(effectiveEndpoints(settings).outlookResource), ...EXTRA_OPENID_SCOPES],
    });
  } catch (err) {
    const classified = parseMicrosoftError(err);
    const aboutTheCode = classified.code === MailErrorCode.RECONNECT_REQUIRED || classified.code === MailErrorCode.INVALID_STATE
      || (classified.code === MailErrorCode.PROVIDER_ERROR && /invalid_grant|invalid_request/.test(classified.providerCode ?? ''));
    if (aboutTheCode) return;
    throw classified;
  }
  // A made-up code can never be redeemed; success means the token endpoint is not Microsoft's.
  throw new MailError(MailErrorCode.ADMIN_CONFIGURATION, 'The token endpoint accepted a made-up code. Check the authority host.', {
    reason: 'The sign-in host does not behave like Microsoft identity.',
  });
}
