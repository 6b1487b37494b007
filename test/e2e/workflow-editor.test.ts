/**
 * A mail workflow as an admin builds it: a real NocoBase app (the stock distribution, whose workflow plugin is
 * built in and enabled) with the plugin installed from its tarball, the local mail stack, Debian's Chromium. The
 * admin connects the support mailbox, builds "Mail received → Create record (tickets) → Send email (reply)" in
 * the v1 workflow editor and turns it on; a customer's message, delivered through Postfix, opens one ticket and
 * the customer gets one threaded reply in their own mailbox. Screenshots land in test-results/e2e/workflow/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../scripts/app/plugin-package';
import { MailWorkflowInstruction, MailWorkflowTrigger } from '../../src/shared/mail-workflow';
import { launchChromium } from '../helpers/browser';
import { browserAppPort } from '../helpers/browser-app-port';
import { connectThroughPopup, MailUiApp, signInAs, startMailUiApp } from '../helpers/mail-ui-app';
import { waitFor } from '../helpers/wait-for';
import { deliver, getStack, issueAccessToken, newMailboxAddress } from '../mail-stack/client';
import { standInSettings } from '../mail-stack/settings-values';

const SHOTS = path.join(ROOT, 'test-results', 'e2e', 'workflow');
const run = Date.now().toString(36);

jest.setTimeout(600_000);

/** The replies to `messageId` in a mailbox's Inbox, as its owner's mail client would list them. */
async function repliesIn(email: string, messageId: string): Promise<Array<{ subject: string; from: string }>> {
  const client = new ImapFlow({
    ...getStack().imap,
    auth: { user: email, accessToken: await issueAccessToken(email) },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const replies: Array<{ subject: string; from: string }> = [];
      for await (const m of client.fetch('1:*', { envelope: true })) {
        if (m.envelope?.inReplyTo === messageId)
          replies.push({ subject: m.envelope.subject ?? '', from: m.envelope.from?.[0]?.address ?? '' });
      }
      return replies;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

describe('the workflow editor: Mail received → Create record → Send email (reply)', () => {
  let app: MailUiApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const supportEmail = newMailboxAddress('support');
  const customerEmail = newMailboxAddress('customer');
  const subject = `My order has not arrived ${run}`;

  const ticketsOf = async () =>
    ((await app.admin.get('tickets:list', { filter: { subject } })) as { data: Array<{ customer: string }> }).data;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const drawer = () => page.locator('.ant-drawer-content').last();
  // The node menu: a node card is clicked only once it has gone (while it closes, its item carries the same text).
  const nodeMenu = () => page.locator('.ant-drawer-content', { hasText: 'Add node' });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startMailUiApp('workflow-e2e', browserAppPort('workflow'));
    const { stack, registration } = app;
    await app.admin.call('mailSettings:update', standInSettings(stack, registration));
    // The business table the workflow writes to, as an admin makes it in "Data sources".
    const field = (name: string, title: string) => ({
      name,
      type: 'string',
      interface: 'input',
      uiSchema: { type: 'string', title, 'x-component': 'Input' },
    });
    await app.admin.call('collections:create', {
      name: 'tickets',
      title: 'Tickets',
      fields: [field('subject', 'Subject'), field('customer', 'Customer')],
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // A navigation loads NocoBase's whole client again: on a busy machine that takes longer than an action.
    page.setDefaultNavigationTimeout(90_000);
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /plugin-email-manager|instruction|trigger/i.test(msg.text()))
        consoleErrors.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.server.stop();
  });

  it('the admin connects the support mailbox', async () => {
    await signInAs(page, app.url, 'admin@nocobase.com', 'admin123');
    await page.goto(`${app.url}/admin/email`);
    await page.getByText('Connect your Outlook mailbox').waitFor({ timeout: 60_000 });
    await connectThroughPopup(page, supportEmail);
    await page.getByTestId('connect-notice').filter({ hasText: 'Mailbox connected' }).waitFor({ timeout: 30_000 });
  });

  it('builds the workflow in the editor and turns it on', async () => {
    await page.goto(`${app.url}/admin/settings/workflow`);
    await page.getByText('Add new').first().click();
    await drawer().getByRole('textbox').first().fill('Tickets from mail');
    await drawer().locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: 'Mail received' }).click();
    await drawer().getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('link', { name: 'Configure' }).first().click();

    // The trigger's form, as registered by the plugin: the defaults (all mailboxes, the Inbox) are what we want.
    await page.getByText('Mail received').first().click();
    await drawer().getByText('All connected mailboxes').waitFor();
    await drawer().getByText('Include existing mail').waitFor();
    await drawer().getByRole('button', { name: 'Submit' }).click();
    await drawer().waitFor({ state: 'hidden' });

    // Create record in tickets, its fields from the trigger's variables picked in the variable menu.
    await page.getByRole('button', { name: 'add-button', exact: true }).first().click();
    await nodeMenu().getByText('Create record', { exact: true }).click();
    const modal = page.locator('.ant-modal-content').last();
    await modal.locator('.ant-select').click();
    await page.keyboard.type('Tick');
    await page.locator('.ant-cascader-menu-item[data-path-key$="tickets"]').click();
    await modal.getByRole('button', { name: 'Submit' }).click();
    await modal.waitFor({ state: 'hidden' });
    await nodeMenu().waitFor({ state: 'hidden' });
    await page.getByText('Create record').first().click();
    const pick = async (field: string, variablePath: string[]) => {
      await drawer().getByRole('button', { name: 'Add field' }).click();
      await page.locator('.ant-dropdown-menu-item', { hasText: field }).click();
      const item = drawer().locator('.ant-form-item', { hasText: field }).last();
      await item.getByRole('button', { name: 'x' }).click();
      for (const label of variablePath)
        await page
          .locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: label })
          .first()
          .click();
      await item.locator('.nb-variable-tag').waitFor();
    };
    await pick('Subject', ['Trigger variables', 'Message', 'Subject']);
    await pick('Customer', ['Trigger variables', 'Message', "Sender's address"]);
    await shot('create-record');
    await drawer().getByRole('button', { name: 'Submit' }).click();
    await drawer().waitFor({ state: 'hidden' });

    // Send email (mailbox): a reply to the message from the mailbox it arrived in.
    await page.getByRole('button', { name: 'add-button-create-Create record' }).click();
    await nodeMenu().getByText('Send email (mailbox)', { exact: true }).click();
    await nodeMenu().waitFor({ state: 'hidden' });
    await page.getByText('Send email (mailbox)').first().click();
    await drawer().getByText('The mailbox the mail arrived in').waitFor();
    await drawer().getByText('Reply to the message that started the workflow').click();
    await drawer()
      .getByRole('button', { name: 'block-item-Input.TextArea-workflows-Body (HTML)' })
      .locator('textarea')
      .fill('<p>We opened ticket "{{$context.message.subject}}" for you.</p>');
    await shot('send-email');
    await drawer().getByRole('button', { name: 'Submit' }).click();
    await drawer().waitFor({ state: 'hidden' });

    await page.getByRole('switch').click();
    await waitFor(async () => (await page.getByRole('switch').getAttribute('aria-checked')) === 'true', {
      what: 'the workflow switched on',
    });
    await shot('workflow');
    expect(consoleErrors).toEqual([]);

    // What the editor saved: the chain and the nodes' configs.
    const workflows = (await app.admin.get('workflows:list', {
      filter: { title: 'Tickets from mail' },
      'appends[]': 'nodes',
    })) as { data: Array<{ enabled: boolean; type: string; nodes: Array<{ type: string; config: object }> }> };
    expect(workflows.data).toHaveLength(1);
    const [workflow] = workflows.data;
    expect(workflow).toMatchObject({ enabled: true, type: MailWorkflowTrigger.received });
    expect(workflow.nodes.map((n) => n.type).sort()).toEqual(['create', MailWorkflowInstruction.sendEmail]);
  });

  it('a customer writes: one ticket, and the customer gets one threaded reply', async () => {
    const messageId = await deliver({
      from: `Customer <${customerEmail}>`,
      to: supportEmail,
      subject,
      text: 'I ordered a lamp two weeks ago. Where is it?',
    });
    const replies = await waitFor(
      async () => {
        const found = await repliesIn(customerEmail, messageId);
        return found.length > 0 && found;
      },
      {
        timeoutMs: 90_000,
        what: "the reply in the customer's Inbox",
      },
    );
    expect(replies).toEqual([{ subject: `Re: ${subject}`, from: supportEmail }]);
    expect(await ticketsOf()).toEqual([expect.objectContaining({ subject, customer: customerEmail })]);
    // The reply is out before the node hears of it: wait for the execution to end (resolved); with nothing more on
    // its way, one ticket and one reply is the outcome.
    const executions = await waitFor(
      async () => {
        const { data } = (await app.admin.get('executions:list')) as { data: Array<{ status: number | null }> };
        return data.some((e) => e.status !== null && e.status !== 0) && data;
      },
      { what: 'the execution ended' },
    );
    expect(executions.map((e) => e.status)).toEqual([1]);
    expect(await repliesIn(customerEmail, messageId)).toHaveLength(1);
    expect(await ticketsOf()).toHaveLength(1);
  });
});
