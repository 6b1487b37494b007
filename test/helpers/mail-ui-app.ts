/**
 * A real NocoBase app (own instance and port, fresh database) wired to the test mail stack, for browser tests of
 * the mailbox UI: the app trusts the stack's CA, an app registration exists on the identity stand-in with this
 * instance's redirect URI, and an admin API client can create users. The mail settings are left empty: the tests
 * enter them through the settings page.
 */
import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { Locator, Page } from 'playwright-core';
import { ADMIN } from '../../scripts/app/app-folder';
import { describeInstance, RunningApp, startServer, type Instance } from '../../scripts/app/instance';
import { NocoBaseApi } from '../../scripts/app/nocobase-api';
import { parseAppOptions } from '../../scripts/app/options';
import { APP_DIR, prepareApp } from '../../scripts/app/prepare';
import { getStack, issueAccessToken, registerApp, type AppRegistration, type MailStack } from '../mail-stack/client';

export interface MailUiApp {
  instance: Instance;
  url: string;
  server: RunningApp;
  stack: MailStack;
  registration: AppRegistration;
  admin: NocoBaseApi;
}

export async function startMailUiApp(name: string, port: number): Promise<MailUiApp> {
  const stack = getStack();
  const options = parseAppOptions(['--instance', name, '--port', String(port)]);
  // A fresh database each run: the tests begin where an admin begins, with nothing configured.
  fs.rmSync(describeInstance(APP_DIR, options).storageDir, { recursive: true, force: true });
  const { instance } = await prepareApp(options, { NODE_EXTRA_CA_CERTS: stack.caPath });
  const server = await startServer(instance);
  const registration = await registerApp({ redirectUris: [`${instance.url}/api/mailOAuth:callback`] });
  const admin = new NocoBaseApi(instance.url);
  await admin.signIn(ADMIN.email, ADMIN.password);
  return { instance, url: instance.url, server, stack, registration, admin };
}

/** A NocoBase user with the default "member" role. */
export async function createMember(admin: NocoBaseApi, email: string, password: string) {
  await admin.call('users:create', {
    email,
    nickname: email.split('@')[0],
    username: email.split('@')[0].replace(/[^a-z0-9_]/gi, '_'),
    password,
    roles: ['member'],
  });
}

/** Signs in on NocoBase's own sign-in page. */
export async function signInAs(page: Page, url: string, account: string, password: string) {
  // A fresh browser context loads NocoBase's whole client first; on a busy machine that outlasts an action's timeout.
  await page.goto(`${url}/signin`, { timeout: 90_000 });
  const accountField = page.getByPlaceholder(/username|email/i);
  await accountField.waitFor({ timeout: 90_000 }).catch(async (err: Error) => {
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    throw new Error(`${err.message}\nThe sign-in page at ${page.url()} shows: ${shown.slice(0, 500) || '(nothing)'}`);
  });
  await accountField.fill(account);
  await page.getByPlaceholder(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(/\/admin/, { timeout: 60_000 });
}

/** Opens the signed-in user's empty mailbox page and connects their Outlook mailbox there, as a new user does. */
export async function connectFromMailboxPage(page: Page, url: string, email: string) {
  await page.goto(`${url}/admin/email`);
  await page.getByText('Connect your Outlook mailbox').waitFor({ timeout: 60_000 });
  await connectThroughPopup(page, email);
}

/** Connects the signed-in user's mailbox through the Microsoft sign-in popup, as they would. */
export async function connectThroughPopup(page: Page, email: string, buttonName = /connect outlook/i) {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: buttonName }).first().click();
  const popup = await popupOpened;
  await popup.locator('#login').waitFor({ timeout: 30_000 });
  await popup.locator('#login').fill(email);
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  await popup.getByRole('button', { name: 'Accept' }).click();
  await closed.catch(async (err) => {
    // Say what the popup shows instead of only that it stayed open.
    const shown = popup.isClosed()
      ? '(closed)'
      : `${popup.url()}: ${(
          await popup
            .locator('body')
            .innerText()
            .catch(() => '')
        ).slice(0, 500)}`;
    throw new Error(`the sign-in popup did not close: ${shown} (${err})`);
  });
}

/** What the mail server itself says: unseen messages in a folder (the truth the UI must match). */
export async function unseenOnServer(email: string, folder = 'INBOX'): Promise<number> {
  const stack = getStack();
  const client = new ImapFlow({
    ...stack.imap,
    auth: { user: email, accessToken: await issueAccessToken(email) },
    logger: false,
  });
  await client.connect();
  try {
    const status = await client.status(folder, { unseen: true });
    return status ? (status.unseen ?? 0) : 0;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Waits for a page the admin has just added to show `ready` (its "Add block", say). NocoBase now and then leaves a
 * page it has just added blank, not even its title, until a reload: it is still loading the route it added (seen in
 * about one run in four of both block suites). A user would reload too, and so does this, once; `onBlank` can keep
 * a screenshot of the blank page first.
 */
export async function waitForNewPage(page: Page, ready: Locator, onBlank?: () => Promise<unknown>) {
  try {
    await ready.waitFor({ timeout: 30_000 });
  } catch {
    await onBlank?.().catch(() => undefined);
    await page.reload({ timeout: 90_000 });
    await ready.waitFor({ timeout: 60_000 });
  }
}
