/**
 * The plugin as an admin meets it: a real NocoBase app prepared exactly as `npm run app` prepares it (own
 * instance and port), driven in Debian's Chromium. Screenshots land in test-results/e2e/ for inspection.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN } from '../../scripts/app/app-folder';
import { RunningApp, startServer } from '../../scripts/app/instance';
import { parseAppOptions } from '../../scripts/app/options';
import { prepareApp } from '../../scripts/app/prepare';
import { PACKAGE_NAME, ROOT } from '../../scripts/app/plugin-package';
import { launchChromium } from '../helpers/browser';
import { browserAppPort } from '../helpers/browser-app-port';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const BUNDLE_PATH = `/static/plugins/${PACKAGE_NAME}/dist/client/index.js`;

jest.setTimeout(600_000);

describe('the plugin in a real NocoBase app, in a browser', () => {
  let app: RunningApp;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const bundleResponses: number[] = [];

  beforeAll(async () => {
    const { instance } = await prepareApp(
      parseAppOptions(['--instance', 'e2e', '--port', String(browserAppPort('plugin'))]),
    );
    url = instance.url;
    app = await startServer(instance);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('response', (res) => res.url().includes(BUNDLE_PATH) && bundleResponses.push(res.status()));
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  afterEach(async () => {
    const name =
      expect
        .getState()
        .currentTestName?.replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase() ?? 'step';
    await page?.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('signs the admin in', async () => {
    await page.goto(`${url}/signin`);
    await page.getByPlaceholder(/username|email/i).fill(ADMIN.email);
    await page.getByPlaceholder(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(/\/admin/, { timeout: 60_000 });
    // The sign-in page itself logs 401s from NocoBase's session check; what follows is the plugin's to answer for.
    consoleErrors.length = 0;
  });

  it('lists the plugin as enabled in the plugin manager', async () => {
    await page.goto(`${url}/admin/pm/list/local/`);
    const card = page.locator('.ant-card', { hasText: 'Email manager (Outlook)' });
    await card.first().waitFor({ timeout: 60_000 });
    expect(await card.first().getByRole('switch').isChecked()).toBe(true);
  });

  it('opens the plugin settings page', async () => {
    await page.goto(`${url}/admin/settings/email-manager`);
    await page.getByRole('heading', { name: 'Email manager' }).waitFor({ timeout: 60_000 });
  });

  it('loaded the client bundle with no console errors', () => {
    expect(bundleResponses).toContain(200);
    expect(consoleErrors).toEqual([]);
  });
});
