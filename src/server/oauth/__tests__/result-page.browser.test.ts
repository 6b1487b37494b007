import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockServer } from '@nocobase/test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../test/helpers/browser';
import { Agent, createMailApp, standInSettings, userAgent } from '../../../../test/helpers/mail-app';
import { newMailboxAddress, registerApp, SignInReturn, signInReturn } from '../../../../test/helpers/stand-in';
import { bindingCookieName } from '../browser-binding';

/**
 * The callback page in a real browser: from a popup it hands the outcome to the opener and closes; as a full page it
 * continues to the mailbox page. The app is served on a real port so the page's script runs under its own origin.
 */
describe('the sign-in result page in Chromium', () => {
  let app: MockServer;
  let server: http.Server;
  let origin: string;
  /** The same server under another site's name, where "Microsoft's" form_post page runs. */
  let elsewhere: string;
  let browser: Browser;
  let user: Agent;

  beforeAll(async () => {
    ({ app } = await createMailApp());
    server = http.createServer((req, res) => {
      // The window that opens the popup, on the app's origin, as the mailbox page would be.
      if (req.url === '/opener') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><title>mailbox</title><script>window.received = [];addEventListener("message", (e) => window.received.push({ origin: e.origin, data: e.data }));</script>',
        );
        return;
      }
      if (req.url === '/elsewhere') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>sign-in</title>');
        return;
      }
      app.callback()(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    elsewhere = `http://localhost:${(server.address() as AddressInfo).port}`;
    const admin = (await userAgent(app, 'admin')).agent;
    const registered = await registerApp({ redirectUris: [`${origin}/mailOAuth:callback`] });
    const saved = await admin
      .resource('mailSettings')
      .update({ values: standInSettings(registered, { publicUrl: `${origin}/` }) });
    expect(saved.body.data.redirectUri).toBe(`${origin}/mailOAuth:callback`);
    user = (await userAgent(app)).agent;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await app?.destroy();
  });

  /** Starts connecting as the user; returns what Microsoft's page posts back to the callback, and the binding cookie. */
  async function signedIn() {
    const start = await user.resource('mailAccounts').connect();
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith(`${bindingCookieName(app.name)}=`),
    )!;
    const value = cookie.split(';')[0].split('=')[1];
    const returned = await signInReturn(start.body.data.authorizeUrl, newMailboxAddress('browser'));
    expect(returned).toMatchObject({ method: 'POST', url: `${origin}/mailOAuth:callback` });
    return { returned, binding: { name: bindingCookieName(app.name), value, url: origin } };
  }

  /** What Microsoft's form_post page does, from another site: post the result to the callback. */
  async function postResult(page: Page, returned: SignInReturn) {
    if (!page.url().startsWith(elsewhere)) await page.goto(`${elsewhere}/elsewhere`);
    // A string: the server's type library has no DOM.
    await page.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = ${JSON.stringify(returned.url)};
      for (const [name, value] of Object.entries(${JSON.stringify(returned.fields)})) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    })()`);
  }

  it('from a popup: posts the outcome to the opener on the app origin, then closes', async () => {
    const { returned, binding } = await signedIn();
    const context = await browser.newContext();
    await context.addCookies([binding]);
    const opener = await context.newPage();
    await opener.goto(`${origin}/opener`);
    const [popup] = await Promise.all([
      opener.waitForEvent('popup'),
      opener.evaluate(
        `void window.open(${JSON.stringify(`${elsewhere}/elsewhere`)}, 'signin', 'width=500,height=600')`,
      ),
    ]);
    await popup.waitForLoadState();
    const closed = popup.waitForEvent('close', { timeout: 10_000 });
    await postResult(popup, returned);
    await closed;
    const received = await opener.evaluate('window.received');
    expect(received).toEqual([
      { origin, data: { type: 'mailbridge:oauth-result', ok: true, accountId: expect.any(Number) } },
    ]);
    await context.close();
  });

  it('as a full page: continues to the mailbox page with the outcome', async () => {
    const { returned, binding } = await signedIn();
    const context = await browser.newContext();
    await context.addCookies([binding]);
    const page = await context.newPage();
    await postResult(page, returned);
    await page.waitForURL(/\/admin\/email\?/, { timeout: 10_000 });
    const url = new URL(page.url());
    expect(`${url.origin}${url.pathname}`).toBe(`${origin}/admin/email`);
    expect(url.searchParams.get('connect')).toBe('ok');
    expect(Number(url.searchParams.get('accountId'))).toBeGreaterThan(0);
    await context.close();
  });

  it('in another browser (no binding cookie): shows why, and posts the refusal', async () => {
    const { returned } = await signedIn();
    const context = await browser.newContext();
    const opener = await context.newPage();
    await opener.goto(`${origin}/opener`);
    const [popup] = await Promise.all([
      opener.waitForEvent('popup'),
      opener.evaluate(`void window.open(${JSON.stringify(`${elsewhere}/elsewhere`)}, 'signin')`),
    ]);
    await popup.waitForLoadState();
    const closed = popup.waitForEvent('close', { timeout: 10_000 });
    await postResult(popup, returned);
    await closed;
    const received = (await opener.evaluate('window.received')) as Array<{ data: { ok: boolean; error: string } }>;
    expect(received[0].data).toMatchObject({
      ok: false,
      error: expect.stringMatching(/another user or in another browser/),
    });
    await context.close();
  });
});
