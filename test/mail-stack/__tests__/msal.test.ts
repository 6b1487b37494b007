/**
 * The real @azure/msal-node against the identity stand-in: the whole delegated flow
 * the plugin uses (auth code + PKCE, cache serialization, silent refresh), and the
 * failures it must recognise (revocation, wrong secret, declined consent).
 */
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node';
import {
  authorityFor,
  failNextTokenRequest,
  newMailboxAddress,
  registerApp,
  revokeUser,
  signIn,
  tokenEndpointCalls,
} from '../client';

const SCOPES = [
  'offline_access',
  'https://outlook.office.com/IMAP.AccessAsUser.All',
  'https://outlook.office.com/SMTP.Send',
];
const REDIRECT = 'http://localhost:13999/api/mailOAuth:callback';

function msal(app: { clientId: string; secret: string }, tenant = 'common') {
  return new ConfidentialClientApplication({
    auth: { clientId: app.clientId, clientSecret: app.secret, ...authorityFor(tenant) },
  });
}

function refreshTokensIn(cache: string): string[] {
  return Object.values(JSON.parse(cache).RefreshToken as Record<string, { secret: string }>).map((t) => t.secret);
}

/** Signs `email` in through the sign-in page and redeems the code; returns the client and its serialized cache. */
async function connect(email: string) {
  const app = await registerApp({ redirectUris: [REDIRECT] });
  const client = msal(app);
  const pkce = await new CryptoProvider().generatePkceCodes();
  const state = 'state-' + Math.random().toString(36).slice(2);
  const url = await client.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: REDIRECT,
    state,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    loginHint: email,
  });
  const callback = new URL(await signIn(url, email));
  expect(callback.searchParams.get('state')).toBe(state);
  const result = await client.acquireTokenByCode({
    code: callback.searchParams.get('code')!,
    scopes: SCOPES,
    redirectUri: REDIRECT,
    codeVerifier: pkce.verifier,
    state,
  });
  return { app, client, result, cache: client.getTokenCache().serialize(), pkce, url };
}

describe('MSAL against the identity stand-in', () => {
  it('signs in with PKCE, and a fresh client refreshes silently from the serialized cache with a rotated refresh token', async () => {
    const email = newMailboxAddress('msal');
    const { app, result, cache } = await connect(email);

    expect(result.account?.username).toBe(email);
    expect(result.idTokenClaims).toMatchObject({ preferred_username: email, ver: '2.0' });
    expect(result.scopes).toEqual(
      expect.arrayContaining([
        'https://outlook.office.com/IMAP.AccessAsUser.All',
        'https://outlook.office.com/SMTP.Send',
      ]),
    );
    // Production-size token: ≥ 2 KB, as Exchange Online's are.
    expect(result.accessToken.length).toBeGreaterThanOrEqual(2048);
    const [firstRefreshToken] = refreshTokensIn(cache);
    expect(firstRefreshToken).toBeTruthy();

    const fresh = msal(app);
    await fresh.getTokenCache().deserialize(cache);
    const [account] = await fresh.getTokenCache().getAllAccounts();
    expect(account.environment).toBe(authorityFor().knownAuthorities[0]);
    const before = await tokenEndpointCalls({ email, grantType: 'refresh_token' });
    const refreshed = await fresh.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true });
    expect(await tokenEndpointCalls({ email, grantType: 'refresh_token' })).toBe(before + 1);
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    const rotated = refreshTokensIn(fresh.getTokenCache().serialize());
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).not.toBe(firstRefreshToken);
  });

  it('rejects a code redeemed with the wrong PKCE verifier, and a code used twice', async () => {
    const email = newMailboxAddress('pkce');
    const app = await registerApp({ redirectUris: [REDIRECT] });
    const client = msal(app);
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await client.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    });
    const code = new URL(await signIn(url, email)).searchParams.get('code')!;
    const other = await new CryptoProvider().generatePkceCodes();
    await expect(
      client.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: other.verifier }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant', errorMessage: expect.stringContaining('AADSTS501481') });
    await client.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier });
    await expect(
      client.acquireTokenByCode({ code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant', errorMessage: expect.stringContaining('AADSTS54005') });
  });

  it("answers a revoked user's refresh with invalid_grant (AADSTS50173)", async () => {
    const email = newMailboxAddress('revoked');
    const { app, cache } = await connect(email);
    await revokeUser(email);
    const fresh = msal(app);
    await fresh.getTokenCache().deserialize(cache);
    const [account] = await fresh.getTokenCache().getAllAccounts();
    const err = await fresh.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.errorCode).toBe('invalid_grant');
    expect(err.errorMessage).toContain('AADSTS50173');
  });

  it('answers a wrong client secret with invalid_client (AADSTS7000215)', async () => {
    const email = newMailboxAddress('secret');
    const { app, cache } = await connect(email);
    const wrong = msal({ clientId: app.clientId, secret: 'not-the-secret' });
    await wrong.getTokenCache().deserialize(cache);
    const [account] = await wrong.getTokenCache().getAllAccounts();
    await expect(wrong.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('redirects a declined consent back to the app with error=access_denied (AADSTS65004)', async () => {
    const app = await registerApp({ redirectUris: [REDIRECT] });
    const url = await msal(app).getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT, state: 'declined-state' });
    const callback = new URL(await signIn(url, newMailboxAddress('declines'), { consent: false }));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(callback.searchParams.get('state')).toBe('declined-state');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI (AADSTS50011)', async () => {
    const app = await registerApp({ redirectUris: [REDIRECT] });
    const url = await msal(app).getAuthCodeUrl({ scopes: SCOPES, redirectUri: 'http://evil.example/callback' });
    await expect(signIn(url, newMailboxAddress('x'))).rejects.toThrow(/AADSTS50011/);
  });

  it('passes a forced Microsoft error through to MSAL, suberror included', async () => {
    const email = newMailboxAddress('mfa');
    const { app, cache } = await connect(email);
    await failNextTokenRequest({
      error: 'invalid_grant',
      description:
        'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.',
      errorCodes: [50076],
      suberror: 'basic_action',
      match: { email },
    });
    const fresh = msal(app);
    await fresh.getTokenCache().deserialize(cache);
    const [account] = await fresh.getTokenCache().getAllAccounts();
    const err = await fresh.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect(err.subError).toBe('basic_action');
    expect(err.errorMessage).toContain('AADSTS50076');
    // Only the next call fails.
    await expect(fresh.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true })).resolves.toBeTruthy();
  });
});

describe('refresh token rotation and lifetimes per app', () => {
  it('keeps an already-rotated refresh token usable, as Microsoft does, unless the app asks for single use', async () => {
    for (const singleUse of [false, true]) {
      const email = newMailboxAddress('rotation');
      const app = await registerApp({ redirectUris: [REDIRECT], singleUseRefreshTokens: singleUse });
      const client = msal(app);
      const url = await client.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT });
      await client.acquireTokenByCode({
        code: new URL(await signIn(url, email)).searchParams.get('code')!,
        scopes: SCOPES,
        redirectUri: REDIRECT,
      });
      const [first] = refreshTokensIn(client.getTokenCache().serialize());
      await client.acquireTokenByRefreshToken({ refreshToken: first, scopes: SCOPES });
      const again = client.acquireTokenByRefreshToken({ refreshToken: first, scopes: SCOPES });
      if (singleUse)
        await expect(again).rejects.toMatchObject({
          errorCode: 'invalid_grant',
          errorMessage: expect.stringContaining('AADSTS700082'),
        });
      else await expect(again).resolves.toBeTruthy();
    }
  });

  it("issues access tokens with the app's lifetime in expires_in", async () => {
    const app = await registerApp({ redirectUris: [REDIRECT], accessTokenLifetimeSeconds: 120 });
    const client = msal(app);
    const url = await client.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT });
    const result = await client.acquireTokenByCode({
      code: new URL(await signIn(url, newMailboxAddress('short'))).searchParams.get('code')!,
      scopes: SCOPES,
      redirectUri: REDIRECT,
    });
    const seconds = (result.expiresOn!.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(100);
    // MSAL counts from its own clock in whole seconds.
    expect(seconds).toBeLessThanOrEqual(121);
  });
});
