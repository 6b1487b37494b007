/**
 * The "Emails" block and the "Send email" action on a modern (v2) page, as an admin builds it and a member uses it:
 * a real NocoBase app with the plugin installed from its tarball, the local Outlook stand-in, Debian's Chromium.
 * The admin creates the customers collection in Data sources and adds a modern page with a customers table, "View" and "Send email" on its rows, and in the View popup
 * an "Emails" block bound to the customer's email field. Alice sees exactly her mail with the customer there, and
 * "Send email" on the row opens the composer with the customer's address; the message is linked to the customer.
 * Screenshots: test-results/e2e/modern-page/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { NocoBaseApi } from '../../scripts/app/nocobase-api';
import { ROOT } from '../../scripts/app/plugin-package';
import { launchChromium } from '../helpers/browser';
import { browserAppPort } from '../helpers/browser-app-port';
import { connectFromMailboxPage, createMember, MailUiApp, signInAs, startMailUiApp } from '../helpers/mail-ui-app';
import { createCollectionInUi } from '../helpers/collections-ui';
import { chooseInMenu } from '../helpers/menu-path';
import { waitFor } from '../helpers/wait-for';
import { deliver, newMailboxAddress, readSink } from '../mail-stack/client';
import { standInSettings } from '../mail-stack/settings-values';

const SHOTS = path.join(ROOT, 'test-results', 'e2e', 'modern-page');
const PASSWORD = 'modern123';
const run = Date.now().toString(36);

jest.setTimeout(600_000);

describe('a modern (v2) page: the Emails block in a record popup and "Send email" on a row', () => {
  let app: MailUiApp;
  let browser: Browser;
  let admin: Page;
  let alice: Page;
  let pageUrl = '';
  let acmeId: number | string = 0;
  const aliceEmail = newMailboxAddress('alice');
  const acmeEmail = `acme-${run}@example.net`;
  const pageTitle = `Modern customers ${run}`;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** An entry of an open flow menu by the model it adds (`data-menu-id` ends with its path). */
  const modelEntry = (page: Page, path: string) =>
    page
      .locator(
        ['.ant-dropdown', '.ant-dropdown-menu-submenu-popup']
          .map((menu) => `${menu}:visible [role=menuitem][data-menu-id$="${path}"]`)
          .join(', '),
      )
      .last();
  const rowAction = (page: Page, name: string) => acmeRow(page).getByText(name, { exact: true });
  /** Hovers a model, then its settings icon, and opens one step of its settings ("<flow>:<step>"). */
  async function openSettingsStep(page: Page, model: Locator, step: string) {
    await chooseInMenu(
      page,
      async () => {
        await model.hover();
        await page.locator('[aria-label=flows-settings]:visible').last().hover();
      },
      modelEntry(page, step),
      page.locator('.ant-modal-content:visible'),
    );
  }
  const acmeRow = (page: Page) => page.locator('.ant-table-row', { hasText: acmeEmail });
  const block = (page: Page) => page.locator('[data-testid=emails-block][data-source=record]');

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startMailUiApp('modern-page-e2e', browserAppPort('modernPage'));
    await app.admin.call('mailSettings:update', standInSettings(app.stack, app.registration));
    await createMember(app.admin, aliceEmail, PASSWORD);
    await deliver({ to: aliceEmail, from: `ACME <${acmeEmail}>`, subject: `Order ${run}`, text: 'We order.' });
    await deliver(
      { to: aliceEmail, from: 'Else <else@example.net>', subject: `Unrelated ${run}`, text: 'Hi.' },
      { wait: true },
    );
    browser = await launchChromium();
    const open = async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.setDefaultNavigationTimeout(90_000);
      return page;
    };
    admin = await open();
    alice = await open();
  });

  afterEach(async () => {
    await shot(admin, 'admin-last').catch(() => undefined);
    await shot(alice, 'alice-last').catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.server.stop();
  });

  it('the admin adds a modern page: a customers table, View and Send email on rows, an Emails block in View', async () => {
    await signInAs(admin, app.url, 'admin@nocobase.com', 'admin123');
    // The customers collection, as an admin makes it in Data sources; its records and the member role's
    // permission on it through the API.
    await createCollectionInUi(admin, app.url, {
      name: 'customers',
      title: 'Customers',
      fields: [
        { kind: 'Single line text', name: 'name', title: 'Name' },
        { kind: 'Email', name: 'email', title: 'Email' },
        { kind: 'Single line text', name: 'domain', title: 'Domain' },
      ],
    });
    acmeId = (
      (await app.admin.call('customers:create', { name: 'ACME', email: acmeEmail })) as {
        data: { id: number | string };
      }
    ).data.id;
    await app.admin.call('customers:create', { name: 'Globex', email: `globex-${run}@example.net` });
    // Records are picked by their name in "Link to record" (the collection's title field).
    await app.admin.call('collections:update?filterByTk=customers', { titleField: 'name' });
    await app.admin.call('roles/member/dataSourceResources:create', {
      dataSourceKey: 'main',
      name: 'customers',
      usingActionsConfig: true,
      actions: [{ name: 'view', fields: ['id', 'name', 'email'] }],
    });
    await admin.goto(`${app.url}/admin`);
    const addMenuItem = admin.getByTestId('schema-initializer-Menu-header');
    if (!(await addMenuItem.isVisible())) await admin.getByTestId('ui-editor-button').click();
    await addMenuItem.hover();
    await admin.getByRole('menuitem', { name: 'Modern page (v2)' }).last().click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('textbox').first().fill(pageTitle);
    await dialog.getByRole('button', { name: /^(OK|Save)$/ }).click();
    await admin.getByText(pageTitle, { exact: true }).first().click();
    await admin.waitForURL(/\/admin\/[a-z0-9]+/);
    pageUrl = admin.url();
    const addBlock = admin.getByRole('button', { name: 'Add block' });
    await addBlock.last().waitFor({ timeout: 60_000 });

    // Add block → Table → Customers, then its Name and Email columns (menus name their entries by model).
    await chooseInMenu(
      admin,
      async () => {
        await addBlock.last().hover();
        await modelEntry(admin, 'DataBlockModel/TableBlockModel').hover();
      },
      modelEntry(admin, 'main.customers'),
      admin.locator('.ant-table-row').nth(1),
    );
    const fields = () => admin.getByRole('button', { name: 'Fields' }).hover();
    const rows = admin.locator('.ant-table-row');
    await chooseInMenu(
      admin,
      fields,
      modelEntry(admin, 'TableColumnModel/name'),
      rows.getByText('ACME', { exact: true }),
    );
    await chooseInMenu(admin, fields, modelEntry(admin, 'TableColumnModel/email'), acmeRow(admin));

    // The row's actions: "+" on the Actions column's header.
    const addRowAction = async () => {
      await admin.locator('[data-float-menu-model-uid]').filter({ hasText: 'Actions' }).last().hover();
      await admin.locator('[aria-label=plus].ant-dropdown-trigger:visible').last().hover();
    };
    await chooseInMenu(admin, addRowAction, modelEntry(admin, 'ViewActionModel'), rowAction(admin, 'View'));
    await chooseInMenu(admin, addRowAction, modelEntry(admin, 'SendEmailActionModel'), rowAction(admin, 'Send email'));
    await admin.mouse.move(0, 0);
    // Its settings: the subject, with the record's name in it (To is the email field by default).
    await openSettingsStep(admin, rowAction(admin, 'Send email'), 'mailbridgeSendEmailSettings:recipientsAndMessage');
    const actionSettings = admin.locator('.ant-modal-content:visible').last();
    await actionSettings
      .locator('.ant-formily-item', { hasText: 'Subject' })
      .locator('input')
      .fill('Offer for {{name}}');
    await actionSettings.getByRole('button', { name: 'Save' }).click();
    await actionSettings.waitFor({ state: 'hidden' });
    await shot(admin, 'table-with-actions');

    // View → the popup's Add block → Other blocks → Emails, bound to the customer's email field.
    await rowAction(admin, 'View').click();
    const popup = admin.locator('.ant-drawer-content:visible').last();
    await popup.getByRole('button', { name: 'Add block' }).waitFor();
    await chooseInMenu(
      admin,
      () => popup.getByRole('button', { name: 'Add block' }).last().hover(),
      modelEntry(admin, 'BlockModel/EmailsBlockModel'),
      block(admin),
    );
    await admin.mouse.move(0, 0);
    await openSettingsStep(admin, block(admin), 'mailbridgeEmailsSettings:dataSource');
    const blockSettings = admin.locator('.ant-modal-content:visible').last();
    await blockSettings.getByText("This record's mail").waitFor();
    await blockSettings
      .locator('.ant-formily-item', { hasText: 'Address fields' })
      .locator('.ant-select-selector')
      .click();
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Email (email)' }).click();
    await blockSettings.getByText('Address fields').click();
    await blockSettings.getByRole('button', { name: 'Save' }).click();
    await blockSettings.waitFor({ state: 'hidden' });
    await waitFor(async () => !(await block(admin).innerText()).includes("Choose the record's address"), {
      what: 'the block bound to email',
    });
    await shot(admin, 'popup-with-emails-block');
  });

  /** Alice's ACME popup: the subjects its Emails block lists, once they are `expected`. */
  async function popupShows(expected: string[]) {
    await alice.goto(pageUrl);
    await rowAction(alice, 'View').click({ timeout: 60_000 });
    await waitFor(
      async () => {
        const texts = await block(alice).getByTestId('emails-block-row').allInnerTexts();
        return texts.length === expected.length && expected.every((subject, i) => texts[i].includes(subject));
      },
      { what: `ACME's popup listing ${expected.join(', ')}`, timeoutMs: 30_000 },
    );
  }

  it('Alice sees exactly her mail with ACME in its popup', async () => {
    await signInAs(alice, app.url, aliceEmail, PASSWORD);
    await connectFromMailboxPage(alice, app.url, aliceEmail);
    await alice
      .getByTestId('message-row')
      .filter({ hasText: `Unrelated ${run}` })
      .waitFor({ timeout: 90_000 });

    await popupShows([`Order ${run}`]);
    await shot(alice, 'alice-popup');
  });

  it('a message linked to ACME from the mailbox reader shows in its popup, and unlinking removes it', async () => {
    const openUnrelated = async () => {
      await alice.goto(`${app.url}/admin/email`);
      await alice
        .getByTestId('message-row')
        .filter({ hasText: `Unrelated ${run}` })
        .click({ timeout: 60_000 });
      return alice.getByTestId('message-detail');
    };
    const detail = await openUnrelated();
    await detail.getByRole('button', { name: 'Link to record…' }).click();
    const dialog = alice.getByRole('dialog').filter({ hasText: 'Link to record' });
    const options = alice.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await dialog.getByRole('combobox', { name: 'Collection' }).click();
    await options.filter({ hasText: 'Customers' }).click();
    const record = dialog.getByRole('combobox', { name: 'Record' });
    await record.click();
    await record.fill('ACME');
    await options.filter({ hasText: 'ACME' }).click();
    await dialog.getByRole('button', { name: 'Link message' }).click();
    await detail.getByTestId('message-link').filter({ hasText: 'ACME' }).waitFor();

    // Newest first: the linked message came after the customer's.
    await popupShows([`Unrelated ${run}`, `Order ${run}`]);
    const after = await openUnrelated();
    const link = after.getByTestId('message-link').filter({ hasText: 'ACME' });
    await link.getByRole('button', { name: 'Unlink' }).click();
    await link.waitFor({ state: 'detached' });
    await popupShows([`Order ${run}`]);
  });

  it('"Send email" on the row opens the composer with ACME\'s address; the message is linked to ACME', async () => {
    await alice.keyboard.press('Escape');
    await block(alice)
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() =>
        alice
          .locator('.ant-drawer-mask')
          .last()
          .click({ position: { x: 50, y: 400 } }),
      );
    await block(alice).waitFor({ state: 'hidden' });

    await rowAction(alice, 'Send email').click();
    const drawer = alice.locator('.ant-drawer-content', { hasText: 'New message' });
    await drawer.getByTestId('recipient').filter({ hasText: acmeEmail }).waitFor();
    expect(await drawer.getByTestId('recipient').count()).toBe(1);
    expect(await drawer.getByLabel('Subject').inputValue()).toBe('Offer for ACME');
    await shot(alice, 'alice-composer');
    await drawer.getByRole('button', { name: 'Send' }).click();
    await alice.getByText('Message sent').waitFor({ timeout: 30_000 });
    const [got] = await waitFor(() => readSink({ to: acmeEmail }).then((l) => (l.length ? l : null)), {
      what: 'the message at the sink',
    });
    expect(got.parsed.subject).toBe('Offer for ACME');

    const aliceApi = new NocoBaseApi(app.url);
    await aliceApi.signIn(aliceEmail, PASSWORD);
    const [account] = ((await aliceApi.get('mailAccounts:list')) as { data: Array<{ id: number }> }).data;
    await waitFor(
      async () => {
        // Her Sent Items synced now, rather than at the next scheduled pass.
        await aliceApi.call(`mailAccounts:sync?filterByTk=${account.id}`);
        type Item = { messageId: string; linked: boolean };
        const res = (await aliceApi.get('mailRecords:list', { collection: 'customers', filterByTk: acmeId })) as {
          data: Item[];
        };
        const sent = res.data.find((m) => m.messageId === got.parsed.messageId);
        if (!sent) return null;
        expect(sent.linked).toBe(true);
        return sent;
      },
      { what: 'the sent message linked to ACME', timeoutMs: 60_000 },
    );
  });
});
