/**
 * "Send email" on a record of a classic (v1) page, as an admin sets it up and a member uses it: a real NocoBase app
 * with the plugin installed from its tarball, the local mail stack, Debian's Chromium. The `customers` collection,
 * its record and the mail settings are made through the API (the UI paths for those are tested elsewhere); the
 * admin makes the page, the table block, the action and its settings in the UI. The member clicks "Send email" on
 * the row: the composer has the row's address and the subject from the settings; the message reaches the sink and
 * is linked to the record. Among the table's own actions, "Send email" sends to the selected rows: one message per
 * record, each linked to it. Screenshots land in test-results/e2e/send-email/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { NocoBaseApi } from '../../scripts/app/nocobase-api';
import { ROOT } from '../../scripts/app/plugin-package';
import { launchChromium } from '../helpers/browser';
import { chooseInMenu } from '../helpers/menu-path';
import { browserAppPort } from '../helpers/browser-app-port';
import {
  connectFromMailboxPage,
  createMember,
  MailUiApp,
  signInAs,
  startMailUiApp,
  waitForNewPage,
} from '../helpers/mail-ui-app';
import { waitFor } from '../helpers/wait-for';
import { newMailboxAddress, readSink } from '../mail-stack/client';
import { standInSettings } from '../mail-stack/settings-values';

const SHOTS = path.join(ROOT, 'test-results', 'e2e', 'send-email');
const PASSWORD = 'member123';
const run = Date.now().toString(36);

jest.setTimeout(600_000);

/** An entry of an open NocoBase menu by its text (its accessible name also holds its icons' labels). */
const menuItem = (page: Page, text: string) =>
  page
    .locator('[role=menuitem]:visible')
    .filter({ hasText: new RegExp(`^${text}$`) })
    .first();

/** The search box atop an open "Add block" collection submenu. */
const OPEN_MENU_SEARCH = 'input[placeholder="Search and select collection"]';

/**
 * "Add block" → a block kind → a collection. Submenus open on hover: a pointer that lands while the menu still moves
 * can open a sibling's submenu over the target (seen once in a run of the whole file), so the path is taken again
 * from a closed menu, up to three times. The menu stays open while the pointer is on it and can lie over what the
 * test points at next (the new block's "Configure columns", seen in a CI run): the pointer leaves it, and the
 * menu's closing is awaited.
 */
async function addBlockOf(page: Page, kind: string, collection: string) {
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await page.getByLabel('schema-initializer-Grid-page:addBlock').hover();
    await menuItem(page, kind).hover();
    try {
      await menuItem(page, collection).click({ timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
  await page.mouse.move(0, 0);
  await page.locator(`${OPEN_MENU_SEARCH}:visible`).first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** Switches a menu entry on (chooseInMenu: taken again while its effect is absent). */
const switchOn = (page: Page, openMenu: () => Promise<unknown>, item: string, effect: Locator) =>
  chooseInMenu(page, openMenu, menuItem(page, item), effect);

/** The "Send email" action of the table's first row (NocoBase labels actions by component, title and x-action). */
const sendEmailOnRow = (page: Page) =>
  page.locator('[aria-label^="action-Action.Link-Send email-mailbridge:sendEmail-customers"]').first();
/** The table's own "Send email": one message per selected row. */
const sendEmailToSelected = (page: Page) =>
  page.locator('[aria-label^="action-Action-Send email-mailbridge:sendEmailBulk-customers"]').first();
/** The "Send email" action of the customers details block. */
const sendEmailOnDetails = (page: Page) =>
  page.locator('[aria-label^="action-Action-Send email-mailbridge:sendEmail-customers"]').first();

describe('"Send email" on a customers table row', () => {
  let app: MailUiApp;
  let browser: Browser;
  let admin: Page;
  let alice: Page;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  /** The browsers' console errors (NocoBase logs some of its own): kept beside the screenshots. */
  const consoleLog: string[] = [];
  const aliceEmail = newMailboxAddress('alice');
  const acmeEmail = `acme-${run}@customer.test`;
  const pageTitle = `Customers ${run}`;
  /** Three more customers, for the bulk send. */
  const bulk = [1, 2, 3].map((n) => ({ name: `Bulk ${n}`, email: `bulk-${n}-${run}@customer.test`, id: 0 }));
  let acmeId: number;
  let pageUrl = '';

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  async function newPage(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // A navigation loads NocoBase's whole client again: on a busy machine that takes longer than an action.
    page.setDefaultNavigationTimeout(90_000);
    page.on('pageerror', (err) => consoleErrors.push(`${name} pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleLog.push(`${name}: ${msg.text()}`);
    });
    return page;
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startMailUiApp('send-email-e2e', browserAppPort('sendEmail'));
    await app.admin.call('mailSettings:update', standInSettings(app.stack, app.registration));
    await app.admin.call('collections:create', {
      name: 'customers',
      title: 'Customers',
      titleField: 'name',
      fields: [
        { name: 'name', type: 'string', interface: 'input', uiSchema: { type: 'string', title: 'Name' } },
        { name: 'email', type: 'string', interface: 'email', uiSchema: { type: 'string', title: 'Email' } },
      ],
    });
    const created = (await app.admin.call('customers:create', { name: 'ACME', email: acmeEmail })) as {
      data: { id: number };
    };
    acmeId = created.data.id;
    // Members see only their own records by default: this role may view every customer.
    await app.admin.call('roles/member/dataSourceResources:create', {
      dataSourceKey: 'main',
      name: 'customers',
      usingActionsConfig: true,
      actions: [{ name: 'view', fields: ['id', 'name', 'email'] }],
    });
    await createMember(app.admin, aliceEmail, PASSWORD);
    browser = await launchChromium();
    admin = await newPage('admin');
    alice = await newPage('alice');
  });

  afterEach(async () => {
    // What the screen showed when a step failed (or at the end of each test).
    await shot(admin, 'admin-last').catch(() => undefined);
    await shot(alice, 'alice-last').catch(() => undefined);
    fs.writeFileSync(path.join(SHOTS, 'console.txt'), [...consoleErrors, ...consoleLog].join('\n'));
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.server.stop();
  });

  it('the admin adds a classic page with a customers table and a "Send email" row action', async () => {
    await signInAs(admin, app.url, 'admin@nocobase.com', 'admin123');
    await admin.getByTestId('ui-editor-button').click();
    await admin.getByTestId('schema-initializer-Menu-header').hover();
    await admin.getByRole('menuitem', { name: 'Classic page (v1)' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('textbox').first().fill(pageTitle);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.getByText(pageTitle, { exact: true }).first().click();
    await admin.waitForURL(/\/admin\/[a-z0-9]+/);
    pageUrl = admin.url();

    await waitForNewPage(admin, admin.getByLabel('schema-initializer-Grid-page:addBlock'), () =>
      shot(admin, 'new-page-blank'),
    );
    await addBlockOf(admin, 'Table', 'Customers');
    // The row shows the customer's name and address.
    const firstRow = admin.locator('.ant-table-row').first();
    const configureColumns = () => admin.getByText('Configure columns').hover();
    await switchOn(admin, configureColumns, 'Name', firstRow.getByText('ACME', { exact: true }));
    await switchOn(admin, configureColumns, 'Email', firstRow.getByText(acmeEmail));
    const action = sendEmailOnRow(admin);
    await switchOn(
      admin,
      async () => {
        await admin.getByRole('button', { name: 'Actions', exact: true }).hover();
        await admin.locator('[aria-label^="designer-schema-initializer-TableV2.Column"]').first().hover();
        await shot(admin, 'configure-actions');
      },
      'Send email',
      action,
    );

    // Its settings: the subject, with the record's name in it (To is the email field by default).
    await action.hover();
    await admin
      .locator('[aria-label^="designer-schema-settings-Action.Link-actionSettings:mailbridgeSendEmail"]')
      .hover();
    await menuItem(admin, 'Recipients and message').click();
    const modal = admin.locator('.ant-modal-content').last();
    await modal.getByText('Email (email)').waitFor();
    const field = (label: string) => modal.locator('.ant-formily-item', { hasText: label });
    await field('Subject').locator('input').fill('Offer for {{name}}');
    await field('Message').locator('textarea').fill('Dear {{name}},\nhere is our offer.');
    await shot(admin, 'action-settings');
    await modal.getByRole('button', { name: 'OK' }).click();
    await modal.waitFor({ state: 'hidden' });

    // The table's own actions: "Send email" to the selected rows, with its own subject.
    const toSelected = sendEmailToSelected(admin);
    await switchOn(
      admin,
      () => admin.locator('[aria-label^="schema-initializer-ActionBar-table:configureActions"]').first().hover(),
      'Send email',
      toSelected,
    );
    await toSelected.hover();
    await admin.locator('[aria-label^="designer-schema-settings-Action-actionSettings:mailbridgeSendEmail"]').hover();
    await menuItem(admin, 'Recipients and message').click();
    const bulkModal = admin.locator('.ant-modal-content').last();
    await bulkModal.getByText('Email (email)').waitFor();
    const bulkField = (label: string) => bulkModal.locator('.ant-formily-item', { hasText: label });
    await bulkField('Subject').locator('input').fill('News for {{name}}');
    await bulkField('Message').locator('textarea').fill('Hello {{name}}.');
    await bulkModal.getByRole('button', { name: 'OK' }).click();
    await bulkModal.waitFor({ state: 'hidden' });
    await admin.mouse.move(0, 0);

    // A details block of customers gets the action too, from its own "Configure actions" (default settings).
    await addBlockOf(admin, 'Details', 'Customers');
    await switchOn(
      admin,
      () => admin.locator('[aria-label^="schema-initializer-ActionBar-details:configureActions"]').first().hover(),
      'Send email',
      sendEmailOnDetails(admin),
    );
    await shot(admin, 'page-with-actions');
    expect(consoleErrors).toEqual([]);
  });

  it('a member clicks "Send email" on the row: the composer has its address, and the sent message is linked', async () => {
    await signInAs(alice, app.url, aliceEmail, PASSWORD);
    await connectFromMailboxPage(alice, app.url, aliceEmail);
    await alice.getByTestId('connect-notice').filter({ hasText: 'Mailbox connected' }).waitFor({ timeout: 30_000 });

    await alice.goto(pageUrl);
    await sendEmailOnRow(alice).click();
    const drawer = alice.locator('.ant-drawer-content', { hasText: 'New message' });
    await drawer.waitFor();
    await drawer.getByTestId('recipient').filter({ hasText: acmeEmail }).waitFor();
    expect(await drawer.getByTestId('recipient').count()).toBe(1);
    expect(await drawer.getByLabel('Subject').inputValue()).toBe('Offer for ACME');
    await shot(alice, 'composer');
    await drawer.getByRole('button', { name: 'Send' }).click();
    await alice.getByText('Message sent').waitFor({ timeout: 30_000 });

    const [got] = await waitFor(() => readSink({ to: acmeEmail }).then((l) => (l.length ? l : null)), {
      what: 'the message at the sink',
    });
    expect(got.parsed.subject).toBe('Offer for ACME');
    expect(got.parsed.text).toContain('Dear ACME,');

    // The record's mail, as the member sees it on the record, once the Sent copy is synced.
    const aliceApi = new NocoBaseApi(app.url);
    await aliceApi.signIn(aliceEmail, PASSWORD);
    const accounts = (await aliceApi.get('mailAccounts:list')) as { data: Array<{ id: number }> };
    const onRecord = await waitFor(
      async () => {
        await aliceApi.call(`mailAccounts:sync?filterByTk=${accounts.data[0].id}`);
        type Item = { messageId: string; linked: boolean; subject: string };
        const res = (await aliceApi.get('mailRecords:list', { collection: 'customers', filterByTk: acmeId })) as {
          data: Item[] | { rows: Item[] };
        };
        const items = Array.isArray(res.data) ? res.data : res.data.rows;
        return items.length ? items : null;
      },
      { what: 'the sent message on the record', timeoutMs: 60_000 },
    );
    expect(onRecord.map((m) => [m.messageId, m.linked, m.subject])).toEqual([
      [got.parsed.messageId, true, 'Offer for ACME'],
    ]);
    expect(consoleErrors).toEqual([]);
  });

  it('a member selects three rows and sends one message to each, every one linked to its record', async () => {
    // Made now, so the earlier tests' first row stays ACME whatever the table's order.
    for (const b of bulk) {
      const made = (await app.admin.call('customers:create', { name: b.name, email: b.email })) as {
        data: { id: number };
      };
      b.id = made.data.id;
    }
    await alice.goto(pageUrl);
    for (const b of bulk) {
      const row = alice.locator('.ant-table-row', { hasText: b.email });
      // The table shows the row's number and its checkbox only under the pointer: the click goes to the input.
      await row.hover();
      await row.locator('.ant-checkbox-input').dispatchEvent('click');
      await row.locator('.ant-checkbox-checked').waitFor({ state: 'attached' });
    }
    await sendEmailToSelected(alice).click();
    const dialog = alice.locator('.ant-modal-content', { hasText: 'Send email to 3 records' });
    await dialog.waitFor();
    expect((await dialog.getByTestId('bulk-send-recipient').allInnerTexts()).map((t) => t.trim())).toEqual(
      bulk.map((b) => `${b.name} ${b.email}`),
    );
    expect(await dialog.getByLabel('Subject').inputValue()).toBe('News for {{name}}');
    await shot(alice, 'bulk-send');
    await dialog.getByRole('button', { name: 'Send 3 messages' }).click();
    const items = dialog.getByTestId('bulk-send-item');
    await waitFor(
      async () =>
        (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).join() === 'sent,sent,sent',
      {
        what: 'the three messages sent',
        timeoutMs: 60_000,
      },
    );
    await shot(alice, 'bulk-sent');

    // Three messages, each to one customer alone, each on its own record.
    const aliceApi = new NocoBaseApi(app.url);
    await aliceApi.signIn(aliceEmail, PASSWORD);
    const accounts = (await aliceApi.get('mailAccounts:list')) as { data: Array<{ id: number }> };
    for (const b of bulk) {
      const got = await waitFor(() => readSink({ to: b.email }).then((l) => (l.length ? l : null)), {
        what: `the message to ${b.email}`,
      });
      expect(got.map((m) => [m.parsed.subject, m.parsed.to])).toEqual([
        [`News for ${b.name}`, expect.objectContaining({ value: [expect.objectContaining({ address: b.email })] })],
      ]);
      expect(got[0].parsed.text).toContain(`Hello ${b.name}.`);
      await waitFor(
        async () => {
          await aliceApi.call(`mailAccounts:sync?filterByTk=${accounts.data[0].id}`);
          type Item = { messageId: string; linked: boolean };
          const res = (await aliceApi.get('mailRecords:list', { collection: 'customers', filterByTk: b.id })) as {
            data: Item[] | { rows: Item[] };
          };
          const list = Array.isArray(res.data) ? res.data : res.data.rows;
          return list.length === 1 && list[0].linked && list[0].messageId === got[0].parsed.messageId;
        },
        { what: `the message on ${b.name}`, timeoutMs: 60_000 },
      );
    }
    expect(consoleErrors).toEqual([]);
  });

  it("on the details block, the composer opens with the record's address (the default To field)", async () => {
    await alice.goto(pageUrl);
    await sendEmailOnDetails(alice).click();
    const drawer = alice.locator('.ant-drawer-content', { hasText: 'New message' });
    await drawer.getByTestId('recipient').filter({ hasText: acmeEmail }).waitFor();
    expect(await drawer.getByTestId('recipient').count()).toBe(1);
    expect(await drawer.getByLabel('Subject').inputValue()).toBe('');
    await drawer.getByRole('button', { name: 'Discard' }).click();
    await drawer.waitFor({ state: 'hidden' });
    expect(consoleErrors).toEqual([]);
  });
});
