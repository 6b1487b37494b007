import { randomBytes } from 'node:crypto';
import { CryptoProvider, ResponseMode, PromptValue } from '@azure/msal-node';
import { MICROSOFT_PROVIDER_KEY } from '../../../shared/providers/microsoft';
import { MailFolderRole } from '../../../shared/mail-reading';
import { MailError, MailErrorCode } from '../../errors/mail-error';
import type { MailProvider } from '../types';
import { checkMicrosoftCredentials } from './check-credentials';
import { EXTRA_OPENID_SCOPES, outlookScopes } from './clouds';
import { createMsalClient } from './msal-client';
import { parseMicrosoftError } from './parse-microsoft-error';
import { effectiveEndpoints, mailEndpoints, MicrosoftSettings, microsoftSettings } from './settings';
import { SignInOrigin, signedInUnder } from './signed-in-under';

function scopesFor(settings: MicrosoftSettings): string[] {
  return [...outlookScopes(effectiveEndpoints(settings).outlookResource), ...EXTRA_OPENID_SCOPES];
}

/** Wraps a provider call so every failure leaves as a classified MailError. */
async function classified<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw parseMicrosoftError(err);
  }
}

function claimString(claims: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = claims?.[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * A sign-in made under another sign-in host or app cannot be used with the current settings, but it is not dead:
 * the cache is kept as it is, so changing the settings back makes the mailbox work again. Until then the account
 * says why, for the user (reconnect if the change stays) and the admin (change it back if it was a mistake).
 */
function signInSettingsChanged(settings: MicrosoftSettings, origin: SignInOrigin | null): MailError | null {
  if (!origin) return null;
  const host = effectiveEndpoints(settings).authorityHost;
  let what: string | null = null;
  if (origin.host !== host) what = `it signed in through ${origin.host}, the settings now use ${host}`;
  else if (settings.clientId && origin.clientIds.length && !origin.clientIds.includes(settings.clientId))
    what = 'it signed in to another app (Client ID)';
  if (!what) return null;
  const reason = `The email sign-in settings changed since this mailbox was connected (${what}).`;
  return new MailError(
    MailErrorCode.ADMIN_CONFIGURATION,
    `${reason} If the new settings stay, reconnect the mailbox; if they were changed by mistake, the administrator can change them back and the mailbox works again.`,
    { reason, providerCode: 'SIGN_IN_SETTINGS_CHANGED', owner: 'user' },
  );
}

export const microsoftProvider: MailProvider = {
  key: MICROSOFT_PROVIDER_KEY,
  wording: { title: 'Microsoft Outlook', signInWith: 'Microsoft', adminSetup: 'Microsoft app' },
  // Outlook's default folder names (also in localised mailboxes over IMAP), for accounts listed without flags.
  folderNames: {
    'sent items': MailFolderRole.sent,
    'deleted items': MailFolderRole.trash,
    'junk email': MailFolderRole.junk,
    'junk e-mail': MailFolderRole.junk,
  },
  settings: microsoftSettings,

  async startAuthorization(settings: MicrosoftSettings, { redirectUri, state }) {
    const client = await createMsalClient(settings);
    const pkce = await new CryptoProvider().generatePkceCodes();
    const nonce = randomBytes(16).toString('base64url');
    const authorizeUrl = await classified(() =>
      client.getAuthCodeUrl({
        scopes: scopesFor(settings),
        redirectUri,
        state,
        nonce,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        // form_post: code and state come back in a POST body, never in a URL that request logs, proxies, browser
        // history or a Referer would keep. The callback relays the cross-site POST once to get the binding cookie.
        responseMode: ResponseMode.FORM_POST,
        // Lets a user with several Microsoft accounts pick the mailbox instead of silently reusing the session.
        prompt: PromptValue.SELECT_ACCOUNT,
      }),
    );
    return { authorizeUrl, codeVerifier: pkce.verifier, nonce };
  },

  async completeAuthorization(settings: MicrosoftSettings, { redirectUri, params, state, codeVerifier, nonce }, cache) {
    const client = await createMsalClient(settings, cache);
    const result = await classified(() =>
      // MSAL compares `state` with the response's and the ID token's nonce with `nonce`; both must be passed back.
      client.acquireTokenByCode(
        { code: params.code, scopes: scopesFor(settings), redirectUri, codeVerifier, state, nonce },
        { code: params.code, state: params.state, client_info: params.client_info },
      ),
    );
    const claims = result.idTokenClaims as Record<string, unknown> | undefined;
    // The address comes from the ID token: Graph /me would need a second resource (AADSTS28000).
    const address = (
      claimString(claims, 'email') ??
      claimString(claims, 'preferred_username') ??
      result.account?.username ??
      ''
    ).toLowerCase();
    if (!result.account || !address.includes('@')) {
      throw new MailError(
        MailErrorCode.PROVIDER_ERROR,
        'Microsoft did not say which mailbox was signed in to. Connect again with a work, school or Outlook.com account that has a mailbox.',
        {
          reason: 'Microsoft did not return a mailbox address.',
        },
      );
    }
    return {
      address,
      displayName: result.account.name ?? claimString(claims, 'name') ?? null,
      homeAccountId: result.account.homeAccountId,
      expiresOn: result.expiresOn ?? new Date(),
    };
  },

  async acquireAccessToken(settings: MicrosoftSettings, { homeAccountId }, cache, { forceRefresh }) {
    const changed = signInSettingsChanged(settings, signedInUnder(await cache.read(), homeAccountId));
    if (changed) throw changed;
    const client = await createMsalClient(settings, cache);
    return classified(async () => {
      const account = await client.getTokenCache().getAccountByHomeId(homeAccountId);
      if (!account) {
        throw new MailError(
          MailErrorCode.RECONNECT_REQUIRED,
          'The saved sign-in for this mailbox is missing. Reconnect the mailbox to sign in to Microsoft again.',
          {
            reason: 'The saved sign-in for this mailbox is missing.',
          },
        );
      }
      const result = await client.acquireTokenSilent({ account, scopes: scopesFor(settings), forceRefresh });
      if (!result?.accessToken) {
        throw new MailError(
          MailErrorCode.RECONNECT_REQUIRED,
          'Microsoft returned no access token. Reconnect the mailbox.',
          { reason: 'Microsoft returned no access token.' },
        );
      }
      return {
        accessToken: result.accessToken,
        expiresOn: result.expiresOn ?? new Date(),
        fromCache: result.fromCache,
      };
    });
  },

  async testCredentials(settings: MicrosoftSettings, redirectUri) {
    await checkMicrosoftCredentials(settings, redirectUri);
    return `Microsoft Outlook accepted the Client ID and secret for tenant "${settings.tenant}". Make sure ${redirectUri} is registered as a Web redirect URI of the app.`;
  },

  parseCallbackError(params) {
    return parseMicrosoftError({
      error: params.error,
      error_description: params.error_description,
      suberror: params.error_subcode,
    });
  },

  parseError: parseMicrosoftError,

  endpoints: mailEndpoints,
};
