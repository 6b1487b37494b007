import type { MockServer } from '@nocobase/test';
import {
  Agent,
  configureStandIn,
  connectMailbox,
  createMailApp,
  pageMessage,
  relayFields,
  returnToApp,
  TEST_PUBLIC_URL,
  userAgent,
} from '../../../../test/helpers/mail-app';
import { newMailboxAddress, SignInReturn, signInReturn } from '../../../../test/helpers/stand-in';

describe('mailOAuth:callback: the browser returning from Microsoft', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await createMailApp());
    await configureStandIn(app, (await userAgent(app, 'admin')).agent);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const accounts = () => app.db.getRepository('mailAccounts');

  /** Starts a sign-in as `agent` and signs in at the stand-in; returns what the browser would post back, not yet sent. */
  async function signedIn(agent: Agent, email = newMailboxAddress()) {
    const start = await agent.resource('mailAccounts').connect();
    return { email, returned: await signInReturn(start.body.data.authorizeUrl, email) };
  }

  const withFields = (returned: SignInReturn, fields: Record<string, string>): SignInReturn => ({
    ...returned,
    fields: { ...returned.fields, ...fields },
  });

  function expectRefused(res: { status: number; text: string }, wording: RegExp) {
    expect(res.status).toBe(400);
    const message = pageMessage(res.text);
    expect(message).toMatchObject({ type: 'mailbridge:oauth-result', ok: false, code: 'INVALID_STATE' });
    expect(message.error).toMatch(wording);
    expect(message.error).toMatch(/Start connecting the mailbox again/);
    return message;
  }

  it('answers with a page that posts only to the app origin and otherwise continues to the mailbox page', async () => {
    const { agent } = await userAgent(app);
    const { callback } = await connectMailbox(agent, newMailboxAddress());
    const origin = new URL(TEST_PUBLIC_URL).origin;
    expect(callback.text).toContain(`window.opener.postMessage(message, ${JSON.stringify(origin)})`);
    expect(callback.text).toMatch(
      /window\.location\.replace\("http:\/\/localhost:13000\/admin\/email\?connect=ok&accountId=\d+"\)/,
    );
    // The URL carries code and state: no Referer, no caching, and only our own nonce'd script may run.
    expect(callback.headers['referrer-policy']).toBe('no-referrer');
    expect(callback.headers['cache-control']).toBe('no-store');
    const nonce = /script-src 'nonce-([^']+)'/.exec(callback.headers['content-security-policy'])?.[1];
    expect(callback.text).toContain(`<script nonce="${nonce}">`);
  });

  it('rejects a forged state and creates nothing', async () => {
    const { user, agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    const forged = withFields(returned, { state: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.fields.state).not.toBe(returned.fields.state);
    expectRefused(await returnToApp(agent, forged), /does not match any sign-in started here/);
    expect(await accounts().count({ filter: { userId: user.id } })).toBe(0);
  });

  it('rejects a callback without state', async () => {
    const { agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    const { state: _state, ...stateless } = returned.fields;
    expectRefused(await returnToApp(agent, { ...returned, fields: stateless }), /has no state/);
  });

  it('rejects a replayed callback and keeps the one account', async () => {
    const { user, agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    expect((await returnToApp(agent, returned)).status).toBe(200);
    expectRefused(await returnToApp(agent, returned), /already used/);
    expect(await accounts().count({ filter: { userId: user.id } })).toBe(1);
  });

  it('rejects an expired state and creates nothing', async () => {
    const { user, agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    // Eleven minutes pass: the state's lifetime is ten.
    await app.db.getRepository('mailOAuthStates').update({
      filter: { userId: user.id },
      values: { expiresAt: new Date(Date.now() - 60_000) },
    });
    expectRefused(await returnToApp(agent, returned), /expired/);
    expect(await accounts().count({ filter: { userId: user.id } })).toBe(0);
  });

  it("rejects another user's state, creates nothing, and leaves the owner's sign-in usable", async () => {
    const owner = await userAgent(app);
    const intruder = await userAgent(app);
    const { returned, email } = await signedIn(owner.agent);

    expectRefused(await returnToApp(intruder.agent, returned), /another user or in another browser/);
    // Even without any session at all.
    expectRefused(await returnToApp(app.agent(), returned), /another user or in another browser/);
    expect(await accounts().count({ filter: { address: email } })).toBe(0);

    const finished = await returnToApp(owner.agent, returned);
    expect(pageMessage(finished.text).ok).toBe(true);
    expect(await accounts().count({ filter: { userId: owner.user.id, address: email } })).toBe(1);
    expect(await accounts().count({ filter: { userId: intruder.user.id } })).toBe(0);
  });

  it('shows a readable outcome when the user declines consent, and creates nothing', async () => {
    const { user, agent } = await userAgent(app);
    const { callback } = await connectMailbox(agent, newMailboxAddress(), { consent: false });
    expect(callback.status).toBe(400);
    const message = pageMessage(callback.text);
    expect(message).toMatchObject({ ok: false, code: 'ACCESS_DENIED' });
    expect(message.error).toMatch(/declined the permissions/);
    expect(callback.text).toContain('<h1>The mailbox was not connected</h1>');
    const next = new URL(JSON.parse(/window\.location\.replace\((".*?")\)/.exec(callback.text)![1]));
    expect(`${next.origin}${next.pathname}`).toBe(`${TEST_PUBLIC_URL}admin/email`);
    expect(next.searchParams.get('connect')).toBe('error');
    expect(next.searchParams.get('reason')).toBe(message.error);
    expect(await accounts().count({ filter: { userId: user.id } })).toBe(0);
  });

  it('caps unfinished sign-ins per user, and finishing one makes room', async () => {
    const { agent } = await userAgent(app);
    const started: SignInReturn[] = [];
    for (let i = 0; i < 10; i++) started.push((await signedIn(agent)).returned);
    const refused = await agent.resource('mailAccounts').connect();
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].message).toMatch(/10 unfinished Microsoft sign-ins/);

    expect(pageMessage((await returnToApp(agent, started[0])).text).ok).toBe(true);
    expect((await agent.resource('mailAccounts').connect()).status).toBe(200);
  });

  it('answers with the page even when the server fails mid-way (here: the stored verifier cannot be decrypted)', async () => {
    const { user, agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    await app.db
      .getRepository('mailOAuthStates')
      .update({ filter: { userId: user.id }, values: { codeVerifier: '00'.repeat(40) } });
    const res = await returnToApp(agent, returned);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(pageMessage(res.text)).toMatchObject({ ok: false, error: expect.stringMatching(/Try connecting again/) });
    expect(await accounts().count({ filter: { userId: user.id } })).toBe(0);
  });

  it('escapes whatever Microsoft sends back before putting it on the page', async () => {
    const { agent } = await userAgent(app);
    const { returned } = await signedIn(agent);
    const { code: _code, ...rest } = returned.fields;
    const hostile = {
      ...returned,
      fields: {
        ...rest,
        error: '</script><script>alert(1)</script>',
        error_description: '<img src=x onerror=alert(1)>',
      },
    };
    const res = await returnToApp(agent, hostile);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain('<img src=x');
    expect(pageMessage(res.text).ok).toBe(false);
  });
});

describe('mailOAuth:callback: where the page sends the browser and the outcome', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await createMailApp());
  });

  afterAll(async () => {
    await app?.destroy();
  });

  /** An attacker's page linking to the callback: its own address in Origin, Referer and the forwarded headers. */
  const fromAttackersPage = (path: string) =>
    app
      .agent()
      .get(path)
      .set('Origin', 'https://attacker.example')
      .set('Referer', 'https://attacker.example/phish.html')
      .set('X-Forwarded-Host', 'attacker.example')
      .set('X-Forwarded-Proto', 'https');

  it('before any settings are saved, no request header picks the redirect or the postMessage target', async () => {
    const res = await fromAttackersPage('/mailOAuth:callback?code=x&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(pageMessage(res.text)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(res.text).not.toContain('attacker.example');
    // The page's own origin receives the message; the mailbox link is a path on the server that served the page.
    expect(res.text).toContain('window.opener.postMessage(message, window.location.origin)');
    const next = JSON.parse(/window\.location\.replace\((".*?")\)/.exec(res.text)![1]);
    expect(next).toMatch(/^\/admin\/email\?connect=error&/);
  });

  it('once saved, the public URL the admin saved is the only target', async () => {
    await configureStandIn(app, (await userAgent(app, 'admin')).agent);
    const res = await fromAttackersPage('/mailOAuth:callback?code=x&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.text).not.toContain('attacker.example');
    expect(res.text).toContain(
      `window.opener.postMessage(message, ${JSON.stringify(new URL(TEST_PUBLIC_URL).origin)})`,
    );
  });
});

describe('mailOAuth:callback: code and state travel only in a form post', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await createMailApp());
    await configureStandIn(app, (await userAgent(app, 'admin')).agent);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('Microsoft is asked to post the result (form_post), so no URL ever holds the code or the state', async () => {
    const { agent } = await userAgent(app);
    const start = await agent.resource('mailAccounts').connect();
    expect(new URL(start.body.data.authorizeUrl).searchParams.get('response_mode')).toBe('form_post');
    const returned = await signInReturn(start.body.data.authorizeUrl, newMailboxAddress());
    expect(returned).toMatchObject({ method: 'POST', url: `${TEST_PUBLIC_URL}mailOAuth:callback` });
    expect(returned.fields.code).toBeTruthy();
  });

  it("the cross-site post, without the browser's cookie, is posted once more from the app's origin; only that one finishes the sign-in", async () => {
    const { user, agent } = await userAgent(app);
    const start = await agent.resource('mailAccounts').connect();
    const returned = await signInReturn(start.body.data.authorizeUrl, newMailboxAddress());

    // SameSite=Lax keeps the binding cookie off Microsoft's cross-site POST: a cookie-less agent plays it.
    const crossSite = await app.agent().post('/mailOAuth:callback').type('form').send(returned.fields);
    expect(crossSite.status).toBe(200);
    expect(crossSite.text).toContain('<form method="POST" action="" id="mailbridge-relay">');
    expect(crossSite.headers['content-security-policy']).toContain("form-action 'self'");
    expect(crossSite.headers['referrer-policy']).toBe('no-referrer');
    expect(await app.db.getRepository('mailAccounts').count({ filter: { userId: user.id } })).toBe(0);
    const relay = relayFields(crossSite.text)!;
    expect(relay).toEqual({ ...returned.fields, mailbridge_relay: '1' });

    // Relayed without the cookie (another browser): refused, not relayed again.
    const stranger = await app.agent().post('/mailOAuth:callback').type('form').send(relay);
    expect(pageMessage(stranger.text)).toMatchObject({ ok: false, code: 'INVALID_STATE' });

    const finished = await agent.post('/mailOAuth:callback').type('form').send(relay);
    expect(pageMessage(finished.text).ok).toBe(true);
    expect(await app.db.getRepository('mailAccounts').count({ filter: { userId: user.id } })).toBe(1);
  });
});
