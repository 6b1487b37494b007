import { MailError, MailErrorCode } from '../../errors/mail-error';
import { EXTRA_OPENID_SCOPES, outlookScopes } from './clouds';
import { createMsalClient } from './msal-client';
import { firstSentence, parseMicrosoftError } from './parse-microsoft-error';
import { effectiveEndpoints, MicrosoftSettings } from './settings';

const PROBE_CODE = 'mailbridge-credentials-check';

/**
 * Microsoft's answers about the code itself, given only after it accepted the client: malformed or unknown code
 * (AADSTS9002313), invalid grant (AADSTS70000), already redeemed (AADSTS54005), expired (AADSTS70008), issued to
 * another tenant (AADSTS700005).
 */
const REFUSALS_OF_THE_CODE = new Set(['AADSTS9002313', 'AADSTS70000', 'AADSTS54005', 'AADSTS70008', 'AADSTS700005']);

/** What the token endpoint said, in its own words: OAuth `error` and description. */
function whatCameBack(err: unknown): string {
  const e = (err && typeof err === 'object' ? err : {}) as Record<string, unknown>;
  const error = typeof e.errorCode === 'string' ? e.errorCode : typeof e.error === 'string' ? e.error : '';
  const raw =
    typeof e.errorMessage === 'string' ? e.errorMessage : typeof e.message === 'string' ? e.message : undefined;
  return [error, firstSentence(raw)].filter(Boolean).join(': ') || 'an answer without an error code';
}

function notMicrosoft(host: string, said: string, cause?: unknown): MailError {
  const reason = `The sign-in host ${host} does not behave like Microsoft identity.`;
  return new MailError(
    MailErrorCode.ADMIN_CONFIGURATION,
    `The sign-in host ${host} answered "${said}" instead of a Microsoft error (AADSTS) for the made-up code, so the Client ID and secret were not confirmed. Check the cloud and the authority host.`,
    { reason, cause },
  );
}

/**
 * Checks the Client ID, secret and tenant against the token endpoint without a user: it redeems a made-up
 * authorization code. Microsoft authenticates the client before it looks at the code, so an AADSTS refusal of the
 * code means the credentials were accepted, while a bad secret, an unknown app or a single-tenant app on `common`
 * fail with their own AADSTS codes. Any other answer (a generic OAuth server's bare `invalid_grant`) proves nothing
 * about the secret and is reported as it came. (A client-credentials grant would also work, but not on `common`.)
 * The tenant's metadata is loaded afresh first, so an unknown tenant or unreachable host is named as such.
 */
export async function checkMicrosoftCredentials(settings: MicrosoftSettings, redirectUri: string): Promise<void> {
  const client = await createMsalClient(settings, undefined, { freshMetadata: true });
  const host = effectiveEndpoints(settings).authorityHost;
  try {
    await client.acquireTokenByCode({
      code: PROBE_CODE,
      redirectUri,
      scopes: [...outlookScopes(effectiveEndpoints(settings).outlookResource), ...EXTRA_OPENID_SCOPES],
    });
  } catch (err) {
    const classified = parseMicrosoftError(err);
    if (REFUSALS_OF_THE_CODE.has(classified.providerCode ?? '')) return;
    // Microsoft's own verdict on the app (wrong secret, unknown tenant…), or a host that could not be reached.
    if (classified.providerCode?.startsWith('AADSTS') || classified.code === MailErrorCode.TRANSIENT) throw classified;
    throw notMicrosoft(host, whatCameBack(err), err);
  }
  // A made-up code can never be redeemed; success means the token endpoint is not Microsoft's.
  throw notMicrosoft(host, 'a token for the made-up code');
}
