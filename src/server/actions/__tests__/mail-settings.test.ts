import type { MockServer } from '@nocobase/test';
import {
  Agent,
  createMailApp,
  standInSettings,
  testRedirectUri,
  TEST_PUBLIC_URL,
  userAgent,
} from '../../../../test/helpers/mail-app';
import { LoopbackAuthority, startLoopbackAuthority } from '../../../../test/helpers/loopback-authority';
import { registerApp, standInAddress } from '../../../../test/helpers/stand-in';

const GUID = '4a1c7e2b-9f3d-4c8a-b5e6-7d2f1a0c9b8e';

describe('mailSettings: the admin configures the Microsoft app', () => {
  let app: MockServer;
  let admin: Agent;
  let member: Agent;

  beforeAll(async () => {
    ({ app } = await createMailApp());
    admin = (await userAgent(app, 'admin')).agent;
    member = (await userAgent(app, 'member')).agent;
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const settings = () => admin.resource('mailSettings');
  const save = (values: Record<string, unknown>) => settings().update({ values });
  const check = (values: Record<string, unknown> = {}) => settings().test({ values });

  it('shows global-cloud defaults, no secret, and the redirect URI for the address the admin uses', async () => {
    const res = await admin
      .get('/mailSettings:get')
      .set('Referer', 'https://crm.example.com/admin/settings/email-manager');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      provider: 'microsoft',
      clientId: '',
      clientSecretSet: false,
      tenant: 'common',
      cloud: 'global',
      authorityHost: 'login.microsoftonline.com',
      imapHost: 'outlook.office365.com',
      imapPort: 993,
      smtpHost: 'smtp.office365.com',
      smtpPort: 587,
      syncWindowDays: 30,
      syncIntervalMinutes: 5,
      appendSentCopy: false,
      maxAttachmentMb: 20,
      sharingMinLevel: null,
      sharingMaxLevel: null,
      allMailEnabled: false,
      publicUrl: 'https://crm.example.com/',
      redirectUri: 'https://crm.example.com/mailOAuth:callback',
      configured: false,
    });
  });

  it('until the app is entered, connecting tells the user to ask the admin', async () => {
    const res = await member.resource('mailAccounts').connect();
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toEqual({
      code: 'NOT_CONFIGURED',
      message: expect.stringMatching(/not set up yet.*Ask your administrator/),
    });
  });

  it('a member cannot read, change or test the settings', async () => {
    for (const action of ['get', 'update', 'test']) {
      const res = await member.resource('mailSettings')[action]({ values: { clientId: GUID } });
      expect(res.status).toBe(403);
    }
    expect((await settings().get()).body.data.clientId).toBe('');
    expect((await app.agent().resource('mailSettings').get()).status).toBe(401);
  });

  describe('saving', () => {
    let registration: Awaited<ReturnType<typeof registerApp>>;

    beforeAll(async () => {
      registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
    });

    it('stores the secret write-only: a flag comes back, never the value', async () => {
      const res = await save(standInSettings(registration));
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        clientId: registration.clientId,
        clientSecretSet: true,
        configured: true,
        cloud: 'custom',
        authorityHost: standInAddress().authorityHost,
      });
      expect(JSON.stringify(res.body)).not.toContain(registration.secret);
      const got = await settings().get();
      expect(got.body.data).toMatchObject({
        clientSecretSet: true,
        publicUrl: TEST_PUBLIC_URL,
        redirectUri: testRedirectUri(app),
      });
      expect(JSON.stringify(got.body)).not.toContain(registration.secret);
    });

    it('keeps the saved secret when a save leaves it blank', async () => {
      expect((await save({ clientSecret: '', syncWindowDays: 90 })).status).toBe(200);
      const got = await settings().get();
      expect(got.body.data).toMatchObject({ clientSecretSet: true, syncWindowDays: 90 });
      // The kept secret still works against the token endpoint.
      expect((await check()).body.data).toMatchObject({ ok: true });
    });

    it('accepts the fields get returned, so a form can send them back as they are', async () => {
      const current = (await settings().get()).body.data;
      expect((await save(current)).status).toBe(200);
      expect((await settings().get()).body.data).toEqual(current);
    });

    it.each([
      [{ cloud: 'global', clientId: 'my-app' }, /Application \(client\) ID, a GUID/],
      [{ clientSecret: GUID }, /secret's ID.*Value/],
      [{ tenant: 'not a tenant!' }, /Tenant must be "common"/],
      [{ cloud: 'mars' }, /Cloud must be one of/],
      [{ imapPort: 99999 }, /IMAP port must be a port number/],
      [{ smtpHost: 'https://smtp.example.com' }, /SMTP host must be a host name/],
      [{ authorityHost: 'http://login.example.com' }, /must use https/],
      [{ publicUrl: 'crm.example.com' }, /full address/],
      [{ syncWindowDays: 0 }, /from 1 to 3650/],
      [{ syncIntervalMinutes: 'often' }, /from 1 to 1440/],
      [{ colour: 'blue' }, /Unknown setting: colour/],
    ])('refuses %j with a message saying what to enter, and changes nothing', async (values, wording) => {
      const before = (await settings().get()).body.data;
      const res = await save(values);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(wording) });
      expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /);
      expect((await settings().get()).body.data).toEqual(before);
    });

    it('a value equal to the cloud default follows the cloud afterwards', async () => {
      await save({
        cloud: 'global',
        imapHost: 'outlook.office365.com',
        clientId: registration.clientId,
        clientSecret: registration.secret,
      });
      await save({ cloud: 'china', clientSecret: registration.secret });
      expect((await settings().get()).body.data).toMatchObject({
        authorityHost: 'login.chinacloudapi.cn',
        imapHost: 'partner.outlook.cn',
        smtpHost: 'smtp.partner.outlook.cn',
      });
      await save(standInSettings(registration));
    });
  });

  describe('test: verdicts an admin can act on', () => {
    it('accepts working credentials', async () => {
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
      const res = await check(standInSettings(registration));
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        ok: true,
        message: expect.stringMatching(/accepted the Client ID and secret.*redirect URI/),
      });
    });

    it('a wrong secret', async () => {
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
      const res = await check(standInSettings(registration, { clientSecret: 'wrong8Q~secret-value' }));
      expect(res.body.data).toEqual({
        ok: false,
        code: 'ADMIN_CONFIGURATION',
        message: expect.stringMatching(/rejected the client secret.*Value \(not its Secret ID\)/),
      });
    });

    it('an expired secret', async () => {
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)], secretExpired: true });
      const res = await check(standInSettings(registration));
      expect(res.body.data).toMatchObject({
        ok: false,
        code: 'ADMIN_CONFIGURATION',
        message: expect.stringMatching(/secret has expired.*Create a new client secret/),
      });
    });

    it('an unknown tenant', async () => {
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
      const res = await check(standInSettings(registration, { tenant: 'contoso.onmicrosoft.com' }));
      expect(res.body.data).toMatchObject({
        ok: false,
        code: 'ADMIN_CONFIGURATION',
        message: expect.stringMatching(/does not know the tenant/),
      });
    });

    it('a single-tenant app used with "common"', async () => {
      const tenantId = '0d2f4b6a-8c1e-4f3a-9b5d-7e6c5a4b3c2d';
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)], singleTenant: true, tenantId });
      const res = await check(standInSettings(registration));
      expect(res.body.data).toMatchObject({
        ok: false,
        code: 'ADMIN_CONFIGURATION',
        message: expect.stringMatching(/one organization only.*Directory \(tenant\) ID/),
      });
      // With its own tenant the same app passes.
      expect((await check(standInSettings(registration, { tenant: tenantId }))).body.data).toMatchObject({ ok: true });
    });

    it('an unreachable sign-in host', async () => {
      const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
      const res = await check(standInSettings(registration, { authorityHost: 'localhost:9' }));
      expect(res.body.data).toMatchObject({
        ok: false,
        code: 'TRANSIENT',
        message: expect.stringMatching(/localhost:9 could not be reached/),
      });
    });

    it('missing credentials', async () => {
      const res = await check({ clientId: '' });
      expect(res.body.data).toMatchObject({ ok: false, code: 'NOT_CONFIGURED' });
    });

    it('testing does not save anything', async () => {
      const before = (await settings().get()).body.data;
      await check({ clientId: GUID, clientSecret: 'other8Q~value' });
      expect((await settings().get()).body.data).toEqual(before);
    });
  });

  describe('the saved secret goes only to the sign-in settings it was saved with', () => {
    let registration: Awaited<ReturnType<typeof registerApp>>;
    let listener: LoopbackAuthority;

    beforeAll(async () => {
      registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
      expect((await save(standInSettings(registration))).status).toBe(200);
      listener = await startLoopbackAuthority();
    });

    afterAll(async () => {
      await listener?.close();
    });

    it.each([
      ['the sign-in host', () => ({ cloud: 'custom', authorityHost: listener.host }), /sign-in host/],
      ['the cloud', () => ({ cloud: 'usgov' }), /cloud/],
      ['the tenant', () => ({ tenant: 'contoso.onmicrosoft.com' }), /tenant/],
      ['the Client ID', () => ({ clientId: GUID }), /Client ID/],
      // Every mailbox's access token goes to the IMAP and SMTP servers at each login.
      ['the IMAP server', () => ({ imapHost: 'imap.elsewhere.test' }), /IMAP server/],
      ['the SMTP server', () => ({ smtpPort: 2525 }), /SMTP server/],
    ])(
      'changing %s without typing the secret again is refused by test and by save; nothing is sent or saved',
      async (_what, values, named) => {
        const before = (await settings().get()).body.data;
        listener.requests.length = 0;
        for (const res of [await check(values()), await save(values())]) {
          expect(res.status).toBe(400);
          expect(res.body.errors[0]).toMatchObject({
            code: 'INVALID_INPUT',
            message: expect.stringMatching(/type the client secret again/i),
          });
          expect(res.body.errors[0].message).toMatch(named);
        }
        expect(listener.requests).toEqual([]);
        expect((await settings().get()).body.data).toEqual(before);
      },
    );

    it('with the secret typed again, only the typed secret reaches the new host', async () => {
      listener.requests.length = 0;
      const typed = 'typed8Q~for-the-new-host';
      const res = await check({ cloud: 'custom', authorityHost: listener.host, clientSecret: typed });
      expect(res.status).toBe(200);
      const posted = listener.requests
        .filter((r) => r.method === 'POST')
        .map((r) => r.body)
        .join('\n');
      expect(posted).toContain(encodeURIComponent(typed));
      expect(posted).not.toContain(encodeURIComponent(registration.secret));
    });

    it('a host that rejects the made-up code without a Microsoft error code is not taken for Microsoft', async () => {
      const res = await check({ cloud: 'custom', authorityHost: listener.host, clientSecret: registration.secret });
      expect(res.body.data).toEqual({
        ok: false,
        code: 'ADMIN_CONFIGURATION',
        message: expect.stringMatching(new RegExp(`${listener.host}.*"invalid_grant: Code not valid".*not confirmed`)),
      });
    });

    it('with the secret typed again, the mail servers can be changed', async () => {
      const current = (await settings().get()).body.data;
      const moved = await save({ smtpPort: 2525, clientSecret: registration.secret });
      expect(moved.status).toBe(200);
      expect((await settings().get()).body.data.smtpPort).toBe(2525);
      expect((await save({ smtpPort: current.smtpPort, clientSecret: registration.secret })).status).toBe(200);
    });

    it('saving other settings, or the same sign-in settings, still needs no secret', async () => {
      const current = (await settings().get()).body.data;
      expect((await save({ ...current, syncWindowDays: 45 })).status).toBe(200);
      expect((await save({ tenant: 'COMMON' })).status).toBe(200);
      expect((await check()).body.data).toMatchObject({ ok: true });
    });
  });
});
