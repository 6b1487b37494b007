/**
 * client_credentials is what an admin "test configuration" check can use: each
 * registration mistake must come back with Microsoft's own error and AADSTS code.
 * MSAL itself refuses client credentials on /common (missing_tenant_id_error), so
 * the tenant-specific cases go through MSAL and the /common one through a plain POST.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { randomUUID } from 'node:crypto';
import { authorityFor, getStack, registerApp } from '../client';

const SCOPES = ['https://outlook.office.com/.default'];
const REDIRECT = 'http://localhost:13999/api/mailOAuth:callback';

function acquire(clientId: string, secret: string, tenant = getStack().tenantId) {
  const client = new ConfidentialClientApplication({
    auth: { clientId, clientSecret: secret, ...authorityFor(tenant) },
  });
  return client.acquireTokenByClientCredential({ scopes: SCOPES, skipCache: true });
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('client_credentials errors as Microsoft words them', () => {
  it('issues an app token for a correct registration', async () => {
    const app = await registerApp({ redirectUris: [REDIRECT] });
    const result = await acquire(app.clientId, app.secret);
    expect(claimsOf(result!.accessToken)).toMatchObject({
      aud: 'https://outlook.office.com',
      appid: app.clientId,
      idtyp: 'app',
      tid: getStack().tenantId,
    });
  });

  it.each([
    [
      'a wrong secret',
      'invalid_client',
      7000215,
      /Invalid client secret provided/,
      async () => {
        const app = await registerApp({ redirectUris: [REDIRECT] });
        return acquire(app.clientId, 'wrong-secret');
      },
    ],
    [
      'an expired secret',
      'invalid_client',
      7000222,
      /client secret keys for app '.*' are expired/,
      async () => {
        const app = await registerApp({ redirectUris: [REDIRECT], secretExpired: true });
        return acquire(app.clientId, app.secret);
      },
    ],
    [
      'an unknown client id',
      'unauthorized_client',
      700016,
      /was not found in the directory/,
      async () => acquire(randomUUID(), 'whatever'),
    ],
    [
      'a single-tenant app used from another tenant',
      'unauthorized_client',
      700016,
      /was not found in the directory/,
      async () => {
        const app = await registerApp({ redirectUris: [REDIRECT], singleTenant: true, tenantId: randomUUID() });
        return acquire(app.clientId, app.secret);
      },
    ],
  ] as const)('answers %s with %s (AADSTS%d)', async (_what, error, code, wording, attempt) => {
    const err = await attempt().then(
      () => undefined,
      (e) => e,
    );
    expect(err?.errorCode).toBe(error);
    expect(err.errorMessage).toContain(`AADSTS${code}: `);
    expect(err.errorMessage).toMatch(wording);
  });

  it("answers a single-tenant app on /common with invalid_request (AADSTS50194) and Microsoft's error body", async () => {
    const app = await registerApp({ redirectUris: [REDIRECT], singleTenant: true, tenantId: randomUUID() });
    const res = await fetch(`${getStack().authorityUrl}common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.secret,
        scope: SCOPES[0],
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_request', error_codes: [50194] });
    expect(body.error_description).toMatch(
      /^AADSTS50194: Application '.*'\(.*\) is not configured as a multi-tenant application\..*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /s,
    );
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
    expect(body).toHaveProperty('timestamp');
  });

  it('lets a single-tenant app use its own tenant', async () => {
    const tenantId = randomUUID();
    const app = await registerApp({ redirectUris: [REDIRECT], singleTenant: true, tenantId });
    const result = await acquire(app.clientId, app.secret, tenantId);
    expect(claimsOf(result!.accessToken).tid).toBe(tenantId);
  });
});
