/**
 * A login host that cannot be reached is a transient fault, not a bad token: Dovecot
 * answers `[UNAVAILABLE]` and MSAL reports a network error. This suite takes the
 * stand-in down for one user and one app only, so suites running alongside are unaffected.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { ImapFlow } from 'imapflow';
import { authorityFor, getStack, issueAccessToken, newMailboxAddress, registerApp, setIdentityDown } from '../client';

describe('identity stand-in down', () => {
  it('makes IMAP logins fail temporarily (UNAVAILABLE) and token requests fail, then recovers', async () => {
    const email = newMailboxAddress('outage');
    const token = await issueAccessToken(email);
    const app = await registerApp({ redirectUris: ['http://localhost:13999/cb'] });
    const client = new ConfidentialClientApplication({
      auth: { clientId: app.clientId, clientSecret: app.secret, ...authorityFor(getStack().tenantId) },
    });
    const imap = () => {
      const c = new ImapFlow({ ...getStack().imap, auth: { user: email, accessToken: token }, logger: false });
      c.on('error', () => undefined);
      return c;
    };

    await setIdentityDown(true, { email });
    await setIdentityDown(true, { clientId: app.clientId });
    let imapError: { serverResponseCode?: string; authenticationFailed?: boolean } | undefined;
    let tokenError: unknown;
    try {
      const c = imap();
      imapError = await c.connect().then(
        () => undefined,
        (e) => e,
      );
      c.close();
      tokenError = await client
        .acquireTokenByClientCredential({ scopes: ['https://outlook.office.com/.default'], skipCache: true })
        .then(
          () => undefined,
          (e) => e,
        );
    } finally {
      await setIdentityDown(false, { email });
      await setIdentityDown(false, { clientId: app.clientId });
    }
    expect(imapError?.serverResponseCode).toBe('UNAVAILABLE');
    expect(tokenError).toBeDefined();

    const c = imap();
    await c.connect();
    await c.logout();
    await expect(
      client.acquireTokenByClientCredential({ scopes: ['https://outlook.office.com/.default'], skipCache: true }),
    ).resolves.toBeTruthy();
  });
});
