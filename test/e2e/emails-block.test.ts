/**
 * The "Emails" block on a classic (v1) page, as an admin builds it and members use it: a real NocoBase app with the
 * plugin installed from its tarball, the local Outlook stand-in, Debian's Chromium. The admin adds a page with a
 * customers table and, in a row's "View" popup, an "Emails" block bound to the customer's email field. Alice sees
 * exactly her mail with the customer and replies from the block; Bob sees none of it until Alice shares her mailbox
 * at "subject" (her subjects without bodies, a line saying why, the attachment refused by the API too), then at
 * "metadata" (no subjects) and "full" (body and attachment). A block on the page itself lists the user's own mail.
 * The render time of 50 rows is logged, not asserted. Screenshots: test-results/e2e/emails-block/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { NocoBaseApi } from '../../scripts/app/nocobase-api';
import { ROOT } from '../../scripts/app/plugin-package';
import { SHARED_MAIL_ACL_SNIPPET } from '../../src/shared/constants';
import { launchChromium } from '../helpers/browser';
import { browserAppPort } from '../helpers/browser-app-port';
import {
  connectFromMailboxPage,
  createMember,
  MailUiApp,
  signInAs,
  startMailUiApp,
  waitForNewPage,
} from '../helpers/mail-ui-app';
import { chooseInMenu } from '../helpers/menu-path';
import { waitFor } from '../helpers/wait-for';
import { deliver, newMailboxAddress, readSink } from '../mail-stack/client';
import { standInSettings } from '../mail-stack/settings-values';

const SHOTS = path.join(ROOT, 'test-results', 'e2e', 'emails-block');
const PASSWORD = 'block123';
const run = Date.now().toString(36);
/** Mail between Alice and the customer: three named messages and enough more for a page of 50 and a second page. */
const BULK = 49;

jest.setTimeout(600_000);

describe('the Emails block on a classic page: a customer popup lists exactly the viewer’s mail with the customer', () => {
  let app: MailUiApp;
  let browser: Browser;
  let admin: Page;
  let alice: Page;
  let bob: Page;
  let pageUrl = '';
  let acmeId = 0;
  const aliceEmail = newMailboxAddress('alice');
  const bobEmail = newMailboxAddress('bob');
  // Outside @example.test: replies to the customer land in the stand-in's sink.
  const customerEmail = `acme-${run}@example.net`;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** The block in ACME's popup (the record's mail), and the one on the page itself (the user's own mail). */
  const block = (page: Page) => page.locator('[data-testid=emails-block][data-source=record]');
  const myMailBlock = (page: Page) => page.locator('[data-testid=emails-block][data-source=mine]');
  const rows = (page: Page) => block(page).getByTestId('emails-block-row');

  /** Opens the first customer's (ACME's) "View" popup on the page the admin built. */
  async function openAcme(page: Page) {
    await page.goto(pageUrl);
    await page.getByRole('row', { name: /ACME/ }).getByText('View', { exact: true }).click({ timeout: 60_000 });
    await block(page).waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startMailUiApp('emails-block-e2e', browserAppPort('emailsBlock'));
    await app.admin.call('mailSettings:update', standInSettings(app.stack, app.registration));
    // The customers collection is made through the API (the Data sources UI is not what this test is about).
    const field = (name: string, title: string, iface = 'input') => ({
      name,
      type: 'string',
      interface: iface,
      uiSchema: { type: 'string', title, 'x-component': 'Input' },
    });
    await app.admin.call('collections:create', {
      name: 'contacts',
      title: 'Contacts',
      fields: [field('email', 'Email')],
    });
    await app.admin.call('collections:create', {
      name: 'customers',
      title: 'Customers',
      fields: [
        field('name', 'Name'),
        field('email', 'Email', 'email'),
        {
          name: 'contact',
          type: 'belongsTo',
          interface: 'm2o',
          target: 'contacts',
          foreignKey: 'contactId',
          uiSchema: { title: 'Contact', 'x-component': 'AssociationField' },
        },
      ],
    });
    const acme = (await app.admin.call('customers:create', { name: 'ACME', email: customerEmail })) as {
      data: { id: number };
    };
    acmeId = acme.data.id;
    await app.admin.call('customers:create', { name: 'Globex', email: `globex-${run}@example.net` });
    await createMember(app.admin, aliceEmail, PASSWORD);
    await createMember(app.admin, bobEmail, PASSWORD);
    // Members may see colleagues' shared mail on records (the admin grants the snippet in Users & permissions).
    const member = (await app.admin.get('roles:get', { filterByTk: 'member' })) as { data: { snippets: string[] } };
    // …and may view business records (a stock member views only its own); set here as in Users & permissions.
    await app.admin.call('roles:update?filterByTk=member', {
      snippets: [...member.data.snippets, SHARED_MAIL_ACL_SNIPPET],
      strategy: { actions: ['view'] },
    });

    const from = `ACME Sales <${customerEmail}>`;
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    for (let i = 0; i < BULK; i++) {
      await deliver(
        { to: aliceEmail, from, subject: `Bulk ${i} ${run}`, text: `Bulk message ${i}.`, date: at(300 + i) },
        { wait: i === BULK - 1 },
      );
    }
    await deliver({
      to: aliceEmail,
      from,
      subject: `Invoice ${run}`,
      text: 'The invoice is attached.',
      attachments: [{ filename: 'invoice.txt', content: 'Invoice 42', contentType: 'text/plain' }],
      date: at(30),
    });
    await deliver({ to: aliceEmail, from, subject: `Order ${run}`, text: 'We would like to order.', date: at(20) });
    await deliver({ to: aliceEmail, from, subject: `Question ${run}`, text: 'When do you deliver?', date: at(10) });
    await deliver({
      to: aliceEmail,
      from: 'Someone Else <else@example.net>',
      subject: `Unrelated ${run}`,
      text: 'Hi.',
    });

    browser = await launchChromium();
    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.setDefaultNavigationTimeout(90_000);
      pages.push(page);
    }
    [admin, alice, bob] = pages;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.server.stop();
  });

  it('the admin adds a classic page, a customers table, an Emails block bound to email in the View popup and one on the page', async () => {
    await signInAs(admin, app.url, 'admin@nocobase.com', 'admin123');
    const menuInitializer = admin.getByTestId('schema-initializer-Menu-header');
    if (!(await menuInitializer.isVisible())) await admin.getByTestId('ui-editor-button').click();
    await menuInitializer.hover();
    await admin.getByRole('menuitem', { name: 'Classic page (v1)' }).click();
    await admin.getByRole('textbox').first().fill('Customers');
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.getByRole('menuitem', { name: 'Customers' }).click();
    await admin.waitForURL(/\/admin\/\w+/);
    await admin.mouse.move(600, 400);
    // The new page replaces the one /admin opened first (kept mounted, hidden, while it goes).
    const addBlock = admin.locator('[aria-label="schema-initializer-Grid-page:addBlock"]:visible');
    await admin.getByText('Customers', { exact: true }).last().waitFor();
    await admin.waitForTimeout(1500);
    await waitForNewPage(admin, addBlock.last(), () => shot(admin, 'new-page-blank'));
    pageUrl = admin.url();

    await addBlock.last().hover();
    await admin.getByRole('menuitem', { name: 'Table' }).first().hover();
    // The collection's item in the Table submenu, beside the page's own "Customers" menu item.
    await waitFor(async () => (await admin.getByRole('menuitem', { name: 'Customers', exact: true }).count()) > 1, {
      what: 'the Table submenu',
    });
    await admin.getByRole('menuitem', { name: 'Customers', exact: true }).last().click();
    await admin.mouse.move(300, 0);
    await chooseInMenu(
      admin,
      () => admin.locator('[aria-label="schema-initializer-TableV2-table:configureColumns-customers"]:visible').hover(),
      admin.getByRole('menuitem', { name: 'Name' }),
      admin.getByRole('row', { name: /ACME/ }),
    );
    const viewLink = admin.getByRole('row', { name: /ACME/ }).getByText('View', { exact: true });
    await chooseInMenu(
      admin,
      async () => {
        await admin.getByRole('button', { name: 'Actions', exact: true }).hover();
        await admin
          .locator(
            '[aria-label="designer-schema-initializer-TableV2.Column-fieldSettings:TableColumn-customers"]:visible',
          )
          .hover();
      },
      admin.getByRole('menuitem', { name: 'View' }),
      viewLink,
    );
    await admin.mouse.move(300, 0);

    await viewLink.click();
    await chooseInMenu(
      admin,
      () => admin.locator('[aria-label^="schema-initializer-Grid-popup"]').first().hover(),
      admin.getByRole('menuitem', { name: /Emails$/ }),
      block(admin),
    );
    await admin.mouse.move(300, 0);

    const settings = async () => {
      await block(admin).hover();
      await admin
        .locator('[aria-label^="designer-schema-settings-MailbridgeEmailsBlock-blockSettings:mailbridgeEmails"]')
        .hover();
    };
    await settings();
    await admin.getByRole('menuitem', { name: 'Data source' }).click();
    const dialog = admin.locator('.ant-modal-content').last();
    await dialog.getByText("This record's mail").waitFor();
    await dialog.locator('.ant-formily-item', { hasText: 'Address fields' }).locator('.ant-select-selector').click();
    // The record's own text fields, and those one association away as paths.
    await admin.locator('.ant-select-item-option', { hasText: 'Contact → Email (contact.email)' }).waitFor();
    await admin.locator('.ant-select-item-option', { hasText: /^Email \(email\)$/ }).click();
    await admin.keyboard.press('Escape');
    await dialog.getByRole('button', { name: /^(OK|Submit)$/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    await settings();
    await admin.getByRole('menuitem', { name: 'Columns' }).click();
    const columns = admin.locator('.ant-modal-content').last();
    await columns.getByLabel('To', { exact: true }).check();
    await columns.getByLabel('Preview text').uncheck();
    await columns.getByRole('button', { name: /^(OK|Submit)$/ }).click();
    await columns.waitFor({ state: 'hidden' });

    // The page size's options open inside the hover menu, which can close under them while the Columns dialog
    // fades out (seen in a clean-clone CI run). Choosing 50 again is harmless, so the path is taken again.
    for (let attempt = 1; ; attempt++) {
      await admin.mouse.move(300, 0);
      await admin
        .locator('.ant-modal-mask:visible')
        .waitFor({ state: 'detached', timeout: 10_000 })
        .catch(() => undefined);
      await settings();
      try {
        await admin.getByRole('menuitem', { name: /Page size/ }).click({ timeout: 10_000 });
        await admin.locator('.ant-select-item-option', { hasText: /^50$/ }).click({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        console.log(`page size not chosen after attempt ${attempt}: taking the path again`);
      }
    }
    await admin.mouse.move(300, 0);
    await shot(admin, 'admin-popup-with-block');

    // On the page itself, outside any record, the block lists the user's own mail.
    await admin.goto(pageUrl);
    await chooseInMenu(
      admin,
      () => addBlock.last().hover(),
      admin.getByRole('menuitem', { name: /Emails$/ }),
      myMailBlock(admin),
    );
    await admin.mouse.move(300, 0);
  });

  it('Alice sees exactly her mail with ACME in its popup, filters and searches it, and 50 rows render quickly', async () => {
    await signInAs(alice, app.url, aliceEmail, PASSWORD);
    await connectFromMailboxPage(alice, app.url, aliceEmail);
    await alice
      .getByTestId('message-row')
      .filter({ hasText: `Question ${run}` })
      .waitFor({ timeout: 90_000 });

    await openAcme(alice);
    await waitFor(async () => (await rows(alice).count()) === 50, {
      what: '50 rows on the first page',
      timeoutMs: 30_000,
    });
    // The block takes its measure in the frame after the rows are committed, which on a busy machine can come after
    // the rows are counted here (seen in a clean-clone CI run): wait for it.
    const renderMs = await waitFor(
      async () => {
        const taken = await alice.evaluate(() =>
          performance.getEntriesByName('mailbridge-emails:render:50', 'measure').map((m) => m.duration),
        );
        return taken.length ? taken : null;
      },
      { what: 'the render measure of 50 rows', timeoutMs: 10_000 },
    );
    console.log(
      `Emails block: 50 rows rendered ${renderMs.map((d) => d.toFixed(1)).join(', ')} ms after their data arrived`,
    );
    // The figure is reported, not asserted; that it was taken is.
    expect(renderMs.length).toBeGreaterThan(0);
    const texts = await rows(alice).allInnerTexts();
    expect(texts.every((t) => t.includes('ACME Sales'))).toBe(true);
    expect(texts.some((t) => t.includes(`Unrelated ${run}`))).toBe(false);
    expect(texts[0]).toContain(`Question ${run}`);
    // The admin's columns: recipients shown, the preview text not.
    expect(await rows(alice).first().getByTestId('emails-block-row-to').innerText()).toContain(aliceEmail);
    expect(await block(alice).getByTestId('emails-block-row-snippet').count()).toBe(0);
    await shot(alice, 'alice-acme-popup');

    await block(alice).getByRole('button', { name: 'Next page' }).click();
    await waitFor(async () => (await rows(alice).count()) === BULK + 3 - 50, { what: 'the second page' });

    await block(alice).getByText('With attachments').click();
    await waitFor(async () => (await rows(alice).allInnerTexts()).join('|').includes(`Invoice ${run}`), {
      what: 'the invoice under "With attachments"',
    });
    expect(await rows(alice).count()).toBe(1);
    await block(alice).getByText('All', { exact: true }).click();
    await waitFor(async () => (await rows(alice).count()) === 50, { what: 'all of the mail again' });
    await block(alice).getByRole('searchbox', { name: 'Search mail' }).fill('Question');
    await block(alice).getByRole('searchbox', { name: 'Search mail' }).press('Enter');
    await waitFor(
      async () => {
        const found = await rows(alice).allInnerTexts();
        return found.length === 1 && found[0].includes(`Question ${run}`);
      },
      { what: 'one row for "Question"' },
    );
  });

  it("Alice opens a message from the block and replies from there; the page's own block lists her own mail", async () => {
    await rows(alice).first().click();
    const reader = alice.getByTestId('message-detail');
    await reader.waitFor();
    await alice.getByRole('button', { name: /^(\S+ )?Reply$/ }).click();
    await alice.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await alice.getByLabel('Subject').inputValue()).toBe(`Re: Question ${run}`);
    await alice.getByRole('textbox', { name: 'Message' }).click();
    await alice.keyboard.type(`We deliver on Monday ${run}.`);
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.getByText('Message sent').waitFor({ timeout: 30_000 });
    const sent = await waitFor(
      async () => (await readSink({ to: customerEmail })).find((m) => m.parsed.subject === `Re: Question ${run}`),
      { what: 'the reply at the sink', timeoutMs: 30_000 },
    );
    expect(sent.parsed.text).toContain(`We deliver on Monday ${run}.`);
    await shot(alice, 'alice-replied');

    // The reply is on ACME: to its address (matched), and written from its block (linked).
    const aliceApi = new NocoBaseApi(app.url);
    await aliceApi.signIn(aliceEmail, PASSWORD);
    const [account] = ((await aliceApi.get('mailAccounts:list')) as { data: Array<{ id: number }> }).data;
    const onAcme = await waitFor(
      async () => {
        // Her Sent Items synced now, rather than at the next scheduled pass.
        await aliceApi.call(`mailAccounts:sync?filterByTk=${account.id}`);
        type Item = { subject?: string; linked: boolean; matched: boolean };
        const res = (await aliceApi.get('mailRecords:list', {
          collection: 'customers',
          filterByTk: acmeId,
          addressFields: 'email',
        })) as { data: Item[] };
        return res.data.find((m) => m.subject === `Re: Question ${run}`);
      },
      { what: 'the reply on ACME', timeoutMs: 60_000 },
    );
    expect(onAcme).toMatchObject({ linked: true, matched: true });
    await openAcme(alice);
    await rows(alice)
      .filter({ hasText: `Re: Question ${run}` })
      .first()
      .waitFor();

    // The block on the page lists her own mail, the customer's and the rest; "Sent" narrows it to what she sent.
    await alice.goto(pageUrl);
    await myMailBlock(alice).getByText(`Unrelated ${run}`).waitFor();
    await myMailBlock(alice).getByText(`Question ${run}`).first().waitFor();
    const sentRows = myMailBlock(alice).getByTestId('emails-block-row');
    await waitFor(
      async () => {
        await aliceApi.call(`mailAccounts:sync?filterByTk=${account.id}`);
        await alice.goto(pageUrl);
        await myMailBlock(alice).getByText('Sent', { exact: true }).click();
        const onlyReply = async () => {
          const texts = await sentRows.allInnerTexts();
          return texts.length > 0 && texts.every((t) => t.includes(`Re: Question ${run}`));
        };
        return waitFor(onlyReply, { what: 'the Sent page', timeoutMs: 10_000 }).catch(() => false);
      },
      { what: 'only her sent reply under "Sent"', timeoutMs: 90_000 },
    );
    await myMailBlock(alice).getByText('Received', { exact: true }).click();
    await myMailBlock(alice).getByText(`Unrelated ${run}`).waitFor();
    expect(await myMailBlock(alice).getByText(`Re: Question ${run}`).count()).toBe(0);
  });

  it("Bob sees none of Alice's mail; once she shares at subject he sees her subjects, no body, and why", async () => {
    await signInAs(bob, app.url, bobEmail, PASSWORD);
    await openAcme(bob);
    await block(bob).getByText('No email here').waitFor();
    expect(await rows(bob).count()).toBe(0);

    await alice.goto(`${app.url}/admin/email`);
    await alice.getByTestId('sharing-level').click();
    await alice.locator('.ant-select-item-option', { hasText: 'Shared on records: plus subject' }).click();
    await waitFor(async () => (await alice.getByTestId('sharing-level').innerText()).includes('plus subject'), {
      what: 'the sharing level saved',
    });

    await openAcme(bob);
    await waitFor(async () => (await rows(bob).count()) === 50, { what: "Alice's shared rows on ACME" });
    // The customer's question (her reply, newer, quotes it).
    const first: Locator = rows(bob)
      .filter({ hasText: `Question ${run}`, hasNotText: 'Re: Question' })
      .first();
    expect(await first.getAttribute('data-level')).toBe('subject');
    expect(await first.getAttribute('data-own')).toBe('false');
    // Named by its owner (her nickname), the address on hover.
    const mailbox = first.getByTestId('emails-block-row-mailbox');
    expect(await mailbox.innerText()).toContain(`Shared by ${aliceEmail.split('@')[0]}`);
    expect(await mailbox.getAttribute('title')).toBe(aliceEmail.toLowerCase());
    expect(await first.innerText()).toContain(`Question ${run}`);
    await first.click();
    const shared = bob.getByTestId('shared-message');
    await shared.waitFor();
    expect(await shared.getAttribute('data-level')).toBe('subject');
    expect(await bob.getByTestId('shared-message-owner').innerText()).toContain(aliceEmail);
    expect(await bob.getByTestId('shared-message-withheld').innerText()).toMatch(
      /"subject" level: the text and attachments are not shared with you/,
    );
    expect(await shared.getByTestId('mail-body').count()).toBe(0);
    expect(await shared.innerText()).not.toContain('When do you deliver?');
    await shot(bob, 'bob-shared-subject');

    // Nor does the API give him more: the invoice's attachment is refused, and the message carries no body.
    const bobApi = new NocoBaseApi(app.url);
    await bobApi.signIn(bobEmail, PASSWORD);
    const onAcme = { collection: 'customers', filterByTk: acmeId, addressFields: 'email' };
    const found = (await bobApi.get('mailRecords:list', { ...onAcme, pageSize: 100 })) as {
      data: Array<{ id: number; subject?: string; attachments?: unknown }>;
    };
    const invoice = found.data.find((m) => m.subject === `Invoice ${run}`);
    expect(invoice).toBeDefined();
    expect(invoice!.attachments).toBeUndefined();
    const read = (await bobApi.get('mailRecords:get', { ...onAcme, messageId: invoice!.id })) as {
      data: Record<string, unknown>;
    };
    expect(read.data.level).toBe('subject');
    expect(read.data.text ?? read.data.html ?? null).toBeNull();
    await expect(
      bobApi.get('mailRecords:attachment', { ...onAcme, messageId: invoice!.id, part: '2' }),
    ).rejects.toThrow(/answered 403/);
  });

  it('at "metadata" Bob sees who wrote and when, and no subject', async () => {
    await alice.goto(`${app.url}/admin/email`);
    await alice.getByTestId('sharing-level').click();
    await alice.locator('.ant-select-item-option', { hasText: 'Shared on records: participants and date' }).click();
    await waitFor(
      async () => (await alice.getByTestId('sharing-level').innerText()).includes('participants and date'),
      {
        what: 'the sharing level saved',
      },
    );
    await openAcme(bob);
    await waitFor(async () => (await rows(bob).count()) === 50, { what: "Alice's shared rows on ACME" });
    const first = rows(bob).first();
    expect(await first.getAttribute('data-level')).toBe('metadata');
    expect(await first.innerText()).toContain('(subject not shared)');
    expect((await rows(bob).allInnerTexts()).join('|')).not.toMatch(/Question|Bulk|Invoice|Order/);
    await first.click();
    expect(await bob.getByTestId('shared-message-withheld').innerText()).toMatch(
      /"participants and date" level: the subject, text and attachments are not shared with you/,
    );
    await shot(bob, 'bob-shared-metadata');
  });

  it('at "full" Bob reads the body and downloads the attachment, still told whose mailbox it is', async () => {
    await alice.goto(`${app.url}/admin/email`);
    await alice.getByTestId('sharing-level').click();
    await alice.locator('.ant-select-item-option', { hasText: 'Shared on records: everything' }).click();
    await waitFor(async () => (await alice.getByTestId('sharing-level').innerText()).includes('everything'), {
      what: 'the sharing level saved',
    });
    await openAcme(bob);
    await rows(bob)
      .filter({ hasText: `Invoice ${run}` })
      .click();
    const shared = bob.getByTestId('shared-message');
    await shared.waitFor();
    expect(await shared.getAttribute('data-level')).toBe('full');
    expect(await bob.getByTestId('shared-message-owner').innerText()).toContain(aliceEmail);
    expect(await bob.getByTestId('shared-message-withheld').count()).toBe(0);
    const frame = await (await shared.getByTestId('mail-body').elementHandle())!.contentFrame();
    await frame!.getByText('The invoice is attached.').waitFor();
    const downloading = bob.waitForEvent('download');
    await shared.getByRole('button', { name: 'invoice.txt' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('invoice.txt');
    const saved = path.join(SHOTS, 'invoice.txt');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toBe('Invoice 42');
  });
});
