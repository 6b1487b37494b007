import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockServer } from '@nocobase/test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../../test/helpers/browser';
import { Agent, createMailApp, standInSettings, userAgent } from '../../../../test/helpers/mail-app';
import { newMailboxAddress, registerApp, signIn } from '../../../../test/helpers/stand-in';
import { bindingCookieName } from '../browser-binding';

/**
 * The callback page in a real browser: from a popup it hands the outcome to the opener and closes; as a full page it
 * continues to the mailbox page. The app is served on a real port so the page's script runs under its own origin.
 */
describe('the sign-in result page in Chromium', () => {
  let app: MockServer;
  let server: http.Server;
  let origin: string;
  let browser: Browser;
  let user: Agent;

  beforeAll(async () => {
    ({ app } = await createMailApp());
    server = http.createServer((req, res) => {
      // The window that opens the popup, on the app's origin, as the mailbox page would be.
      if (req.url === '/opener') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>mailbox</title><script>window.received = [];addEventListener("message", (e) => window.received.push({ origin: e.origin, data: e.data }));</script>');
        return;
      }
      app.callback()(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = (await userAgent(app, 'admin')).agent;
    const registered = await registerApp({ redirectUris: [`${origin}/mailOAuth:callback`] });
    const saved = await admin.resource('mailSettings').update({ values: standInSettings(registered, { publicUrl: `${origin}/` }) });
    expect(saved.body.data.redirectUri).toBe(`${origin}/mailOAuth:callback`);
    user = (await userAgent(app)).agent;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await app?.destroy();
  });

  /** Starts connecting as the user; returns the callback URL Microsoft sends the browser to, and the binding cookie. */
  async function signedIn() {
    const start = await user.resource('mailAccounts').connect();
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${bindingCookieName(app.name)}=`))!;
    const value = cookie.split(';')[0].split('=')[1];
    const callbackUrl = await signIn(start.body.data.authorizeUrl, newMailboxAddress('browser'));
    expect(callbackUrl.startsWith(`${origin}/mailOAuth:callback?`)).toBe(true);
    return { callbackUrl, binding: { name: bindingCookieName(app.name), value, url: origin } };
  }

  it('from a popup: posts the outcome to the opener on the app origin, then closes', async () => {
    const { callbackUrl, binding } = await signedIn();
    const context = await browser.newContext();
    await context.addCookies([binding]);
    const opener = await context.newPage();
    await opener.goto(`${origin}/opener`);
    const [popup] = await Promise.all([opener.waitForEvent('popup'), opener.evaluate(`void window.open(${JSON.stringify(callbackUrl)}, 'signin', 'width=500,height=600')`)]);
    await popup.waitForEvent('close', { timeout: 10_000 });
    const received = await opener.evaluate('window.received');
    expect(received).toEqual([{ origin, data: { type: 'mailbridge:oauth-result', ok: true, accountId: expect.any(Number) } }]);
    await context.close();
  });

  it('as a full page: continues to the mailbox page with the outcome', async () => {
    const { callbackUrl, binding } = await signedIn();
    const context = await browser.newContext();
    await context.addCookies([binding]);
    const page = await context.newPage();
    await page.goto(callbackUrl);
    await page.waitForURL(/\/admin\/email\?/, { timeout: 10_000 });
    const url = new URL(page.url());
    expect(`${url.origin}${url.pathname}`).toBe(`${origin}/admin/email`);
    expect(url.searchParams.get('connect')).toBe('ok');
    expect(Number(url.searchParams.get('accountId'))).toBeGreaterThan(0);
    await context.close();
  });

  it('in another browser (no binding cookie): shows why, and posts the refusal', async () => {
    const { callbackUrl } = await signedIn();
    const context = await browser.newContext();
    const opener = await context.newPage();
    await opener.goto(`${origin}/opener`);
    const [popup] = await Promise.all([opener.waitForEvent('popup'), opener.evaluate(`void window.open(${JSON.stringify(callbackUrl)}, 'signin')`)]);
    await popup.waitForEvent('close', { timeout: 10_000 });
    const received = (await opener.evaluate('window.received')) as Array<{ data: { ok: boolean; error: string } }>;
    expect(received[0].data).toMatchObject({ ok: false, error: expect.stringMatching(/another user or in another browser/) });
    await context.close();
  });
});
