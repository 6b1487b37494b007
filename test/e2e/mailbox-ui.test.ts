/**
 * The mailbox UI as its users meet it: a real NocoBase app with the plugin installed from its tarball, the local
 * Outlook stand-in (Microsoft sign-in, Dovecot, Postfix), Debian's Chromium. An admin sets up email in the settings
 * page; two users connect through Microsoft's sign-in popup, read, download, send with an attachment, receive
 * without reloading, and reply. Screenshots land in test-results/e2e/mailbox/.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { NocoBaseApi } from '../../scripts/app/nocobase-api';
import { ROOT } from '../../scripts/app/plugin-package';
import { launchChromium } from '../helpers/browser';
import {
  connectThroughPopup,
  createMember,
  MailUiApp,
  signInAs,
  startMailUiApp,
  unseenOnServer,
} from '../helpers/mail-ui-app';
import { deliver, newMailboxAddress, seedMailbox } from '../mail-stack/client';
import { browserAppPort } from '../helpers/browser-app-port';

const SHOTS = path.join(ROOT, 'test-results', 'e2e', 'mailbox');
const PASSWORD = 'mailbox123';
const run = Date.now().toString(36);

jest.setTimeout(600_000);

/** A web server standing in for a sender's tracking pixels and scripts: it records every request it gets. */
function startTracker() {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(png);
  });
  return new Promise<{ url: string; hits: string[]; close(): void }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => server.close() }),
    ),
  );
}

async function newUserPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  // The identity stand-in serves HTTPS with the test CA, which Chromium does not know.
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
  });
  return { context, page: await context.newPage() };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const inboxCount = async (page: Page) => {
  const count = page.locator('[data-testid=folder][data-folder-role=inbox] [data-testid=folder-count]');
  return (await count.count()) ? Number(await count.innerText()) : 0;
};
const badge = async (page: Page) =>
  Number(
    (
      await page
        .getByTestId('mail-unread-badge')
        .innerText()
        .catch(() => '')
    ).replace(/\D/g, '') || 0,
  );

/** Waits until `check` holds, as a user waits for the screen to update; fails with what it last saw. */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}
const row = (page: Page, subject: string | RegExp) => page.getByTestId('message-row').filter({ hasText: subject });

describe('the mailbox in a browser: settings, connect, read, send, receive, reply', () => {
  let app: MailUiApp;
  let browser: Browser;
  let admin: Page;
  let alice: Page;
  let bob: Page;
  let tracker: Awaited<ReturnType<typeof startTracker>>;
  const contexts: BrowserContext[] = [];
  const aliceEmail = newMailboxAddress('alice');
  const bobEmail = newMailboxAddress('bob');
  const attachmentText = `Quarterly figures ${run}\n`.repeat(200);
  const subject = `Project plan ${run}`;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    tracker = await startTracker();
    app = await startMailUiApp('mailbox-e2e', browserAppPort('mailbox'));
    await createMember(app.admin, aliceEmail, PASSWORD);
    await createMember(app.admin, bobEmail, PASSWORD);
    // Alice's mailbox: realistic seeded mail, one message with a file, one hostile message.
    await seedMailbox(aliceEmail, { folders: { INBOX: 60, 'Sent Items': 4, Archive: 3 } });
    await deliver({
      to: aliceEmail,
      from: 'Finance <finance@example.net>',
      subject: `Figures with attachment ${run}`,
      text: 'The figures are attached.',
      attachments: [{ filename: 'figures.txt', content: attachmentText, contentType: 'text/plain' }],
      date: new Date(),
    });
    await deliver({
      to: aliceEmail,
      from: 'Mallory <mallory@example.net>',
      subject: `Hostile newsletter ${run}`,
      date: new Date(Date.now() - 60_000),
      html: `<p>Special offer</p>
<script>fetch('${tracker.url}/script')</script>
<img src="${tracker.url}/pixel.png" onerror="fetch('${tracker.url}/onerror')" alt="pixel">
<img src="x" onerror="fetch('${tracker.url}/onerror2')">
<a href="javascript:fetch('${tracker.url}/js-link')">Claim your prize</a>
<div style="background-image:url(${tracker.url}/background.png)">Background</div>
<iframe src="${tracker.url}/frame"></iframe>
<form action="${tracker.url}/form"><input name="q"><button>Go</button></form>
<meta http-equiv="refresh" content="0;url=${tracker.url}/refresh">
<link rel="stylesheet" href="${tracker.url}/style.css">
<svg onload="fetch('${tracker.url}/svg')"></svg>
<style>@import url(${tracker.url}/import.css); body { background: url(${tracker.url}/body-bg.png) }</style>`,
      text: 'Special offer',
    });
    browser = await launchChromium();
    for (const name of ['admin', 'alice', 'bob'] as const) {
      const { context, page } = await newUserPage(browser);
      contexts.push(context);
      page.setDefaultTimeout(15_000);
      // A navigation loads NocoBase's whole client again: on a busy machine that takes longer than an action.
      page.setDefaultNavigationTimeout(90_000);
      page.on('dialog', (d) => {
        throw new Error(`unexpected dialog in ${name}'s page: ${d.message()}`);
      });
      if (name === 'admin') admin = page;
      else if (name === 'alice') alice = page;
      else bob = page;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await app?.server.stop();
    tracker?.close();
  });

  it('before email is set up, a user who tries to connect is told to ask the administrator', async () => {
    await signInAs(alice, app.url, aliceEmail, PASSWORD);
    await alice.goto(`${app.url}/admin/email`);
    await alice.getByText('Connect your Outlook mailbox').waitFor({ timeout: 60_000 });
    await alice.getByRole('button', { name: /connect outlook/i }).click();
    await alice.getByText('Email is not set up yet').waitFor();
    await alice.getByText('Ask your administrator to set up email', { exact: false }).waitFor();
    expect(await alice.getByRole('button', { name: /connect outlook/i }).count()).toBe(0);
    await shot(alice, 'not-set-up');
  });

  it('the admin saves the Microsoft settings; "Test configuration" passes; the secret never comes back', async () => {
    await signInAs(admin, app.url, 'admin@nocobase.com', 'admin123');
    await admin.goto(`${app.url}/admin/settings/email-manager`);
    await admin.getByRole('heading', { name: 'Email manager' }).waitFor({ timeout: 60_000 });
    await admin.getByText('Email is not set up yet.', { exact: false }).waitFor();
    expect(await admin.getByTestId('redirect-uri').innerText()).toBe(`${app.url}/api/mailOAuth:callback`);

    await admin.getByLabel('Client ID').fill(app.registration.clientId);
    await admin.getByLabel('Client secret').fill(app.registration.secret);
    await admin.getByRole('combobox', { name: 'Cloud' }).click({ force: true });
    await admin.locator('.ant-select-item-option', { hasText: 'Custom' }).click();
    await admin.getByText('Advanced: sign-in host, mail servers, public URL').click();
    await admin.getByLabel('Sign-in host').fill(app.stack.authorityHost);
    await admin.getByLabel('IMAP host').fill(app.stack.imap.host);
    await admin.getByLabel('IMAP port').fill(String(app.stack.imap.port));
    await admin.getByLabel('SMTP host').fill(app.stack.smtp.host);
    await admin.getByLabel('SMTP port').fill(String(app.stack.smtp.port));
    // The stand-in files a copy of sent mail in Sent Items by itself, as Outlook does: "Store a copy" stays off.
    expect(await admin.getByLabel('Store a copy of sent mail in Sent').getAttribute('aria-checked')).toBe('false');
    // The seeded mail spans half a year; the first sync should take all of it.
    await admin.getByLabel('First sync goes back (days)').fill('365');
    expect(await admin.getByTestId('settings-save-state').innerText()).toBe('Unsaved changes');

    await admin.getByRole('button', { name: 'Test configuration' }).click();
    const verdict = admin.getByTestId('settings-test-result');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.innerText()).toContain('The configuration works');

    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Email is set up: users can connect their Outlook mailboxes.').waitFor({ timeout: 30_000 });
    expect(await admin.getByTestId('settings-save-state').innerText()).toBe('All changes saved');

    // After a reload the page says a secret is set, and nothing the server sent carries it.
    const bodies: string[] = [];
    admin.on('response', (res) => {
      if (res.url().includes('/api/')) bodies.push(res.text().catch(() => '') as unknown as string);
    });
    await admin.reload();
    await admin.getByRole('button', { name: 'Replace' }).waitFor({ timeout: 60_000 });
    await admin.getByText('Set', { exact: true }).waitFor();
    const texts = await Promise.all(bodies);
    expect(texts.some((b) => b.includes(app.registration.clientId))).toBe(true);
    expect(texts.filter((b) => b.includes(app.registration.secret))).toEqual([]);
    expect(await admin.content()).not.toContain(app.registration.secret);
    await shot(admin, 'settings');
  });

  it('"Test configuration" explains a wrong secret in words', async () => {
    await admin.getByRole('button', { name: 'Replace' }).click();
    await admin.getByLabel('Client secret').fill('wrong8Q~not-the-secret-value-at-all');
    await admin.getByRole('button', { name: 'Test configuration' }).click();
    const verdict = admin.getByTestId('settings-test-result');
    await verdict.waitFor({ timeout: 30_000 });
    const text = await verdict.innerText();
    expect(text).toContain('The configuration does not work yet');
    expect(text).toMatch(/secret/i);
    expect(text).not.toMatch(/at \w+ \(|Error:/);
    await shot(admin, 'settings-wrong-secret');
  });

  it('a user connects Outlook through the popup and sees the Inbox with the unread counts of the server', async () => {
    await alice.reload();
    await alice.getByText('Connect your Outlook mailbox').waitFor({ timeout: 60_000 });
    await connectThroughPopup(alice, aliceEmail);
    await alice.getByTestId('connect-notice').filter({ hasText: 'Mailbox connected' }).waitFor({ timeout: 30_000 });
    await alice.getByText(aliceEmail).first().waitFor();

    const unseen = await unseenOnServer(aliceEmail);
    expect(unseen).toBeGreaterThan(2);
    await eventually(
      () => inboxCount(alice),
      (n) => n === unseen,
      'Inbox unread count',
      90_000,
    );
    await row(alice, `Figures with attachment ${run}`).waitFor({ timeout: 30_000 });
    // A page of 50, not the whole folder; unread rows are bold.
    expect(await alice.getByTestId('message-row').count()).toBe(50);
    expect(await alice.getByTestId('list-range').innerText()).toBe(`1–50 of 62`);
    const boldRows = await alice
      .locator('[data-testid=message-row][data-unread=true]')
      .evaluateAll(
        (rows: Array<{ ownerDocument: { defaultView: { getComputedStyle(e: unknown): { fontWeight: string } } } }>) =>
          rows.map((r) => r.ownerDocument.defaultView.getComputedStyle(r).fontWeight),
      );
    expect(boldRows.length).toBeGreaterThan(0);
    expect(boldRows.every((w) => Number(w) >= 600)).toBe(true);
    // The top bar badge counts the Inbox's unread mail.
    await eventually(
      () => badge(alice),
      (n) => n === unseen,
      'top bar unread badge',
    );
    await shot(alice, 'mailbox');
  });

  it('opening a message marks it read, here and on the server, and its attachment downloads', async () => {
    const before = await unseenOnServer(aliceEmail);
    const target = row(alice, `Figures with attachment ${run}`);
    expect(await target.getAttribute('data-unread')).toBe('true');
    await target.click();
    await alice
      .getByTestId('reading-subject')
      .filter({ hasText: `Figures with attachment ${run}` })
      .waitFor();
    await alice.getByTestId('reading-from').filter({ hasText: 'finance@example.net' }).waitFor();
    await eventually(
      () => target.getAttribute('data-unread'),
      (v) => v === 'false',
      'opened row still bold',
    );
    await eventually(
      () => inboxCount(alice),
      (n) => n === before - 1,
      'Inbox unread count after opening',
    );
    await eventually(
      () => unseenOnServer(aliceEmail),
      (n) => n === before - 1,
      'unseen on the server after opening',
    );
    await eventually(
      () => badge(alice),
      (n) => n === before - 1,
      'top bar badge after opening',
    );

    const attachments = alice.getByTestId('attachments');
    expect(await attachments.innerText()).toMatch(/figures\.txt\s*\(\d+ KB\)/);
    const downloading = alice.waitForEvent('download');
    await alice.getByRole('button', { name: 'Download figures.txt' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('figures.txt');
    const saved = path.join(SHOTS, 'figures.txt');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toBe(attachmentText);
    await shot(alice, 'reading-pane');
  });

  it('an email with scripts, event handlers, javascript: links and remote images runs nothing and loads nothing until "Show images"', async () => {
    await row(alice, `Hostile newsletter ${run}`).click();
    await alice
      .getByTestId('reading-subject')
      .filter({ hasText: `Hostile newsletter ${run}` })
      .waitFor();
    const iframe = alice.getByTestId('mail-body');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const frame = (await (await iframe.elementHandle())!.contentFrame()) as Frame;
    await frame.getByText('Special offer').waitFor();
    await frame.getByText('Claim your prize').dispatchEvent('click');
    await alice.waitForTimeout(1500);
    expect(tracker.hits).toEqual([]);
    expect(
      await frame
        .locator('script, iframe, form, svg, meta[http-equiv=refresh i], link, base, [onerror], [onload]')
        .count(),
    ).toBe(0);
    expect(await frame.locator('a[href^="javascript"]').count()).toBe(0);

    await alice.getByRole('button', { name: 'Show images' }).click();
    await eventually(
      async () => tracker.hits,
      (hits) => hits.includes('/pixel.png'),
      'remote image after "Show images"',
      10_000,
    );
    const allowed = new Set(['/pixel.png', '/background.png', '/body-bg.png']);
    expect(tracker.hits.filter((h) => !allowed.has(h))).toEqual([]);
  });

  it('bulk read/unread, quick filters and search act on the list and the counts', async () => {
    const unread = await inboxCount(alice);
    const rows = alice.getByTestId('message-row');
    const states = (await rows.evaluateAll((els: Array<{ getAttribute(n: string): string | null }>) =>
      els.map((e) => e.getAttribute('data-unread')),
    )) as string[];
    const picked = states.flatMap((state, i) => (state === 'false' ? [i] : [])).slice(0, 2);
    expect(picked).toHaveLength(2);

    // Two read messages marked unread together: bold here, unread on the server, counted in the Inbox.
    for (const i of picked) await rows.nth(i).getByRole('checkbox').check();
    await alice.getByTestId('bulk-actions').getByText('2 selected').waitFor();
    await alice
      .getByTestId('bulk-actions')
      .getByRole('button', { name: /Mark unread/ })
      .click();
    await eventually(
      () => inboxCount(alice),
      (n) => n === unread + 2,
      'Inbox unread count after "Mark unread"',
    );
    await eventually(
      () => unseenOnServer(aliceEmail),
      (n) => n === unread + 2,
      'unseen on the server after "Mark unread"',
    );
    for (const i of picked) expect(await rows.nth(i).getAttribute('data-unread')).toBe('true');
    expect(await alice.getByTestId('bulk-actions').count()).toBe(0);

    await alice.getByText('Unread', { exact: true }).click();
    await eventually(
      () => rows.count(),
      (n) => n === unread + 2,
      'rows under the Unread filter',
    );
    expect(await alice.locator('[data-testid=message-row][data-unread=false]').count()).toBe(0);
    await alice.getByText('Attachments', { exact: true }).click();
    await row(alice, `Figures with attachment ${run}`).waitFor();
    const withIcon = alice.locator('[data-testid=message-row] [aria-label="Has attachments"]');
    await eventually(
      async () => [await withIcon.count(), await rows.count()],
      ([icons, all]) => icons === all && all > 0,
      'rows with an attachment icon under the Attachments filter',
    );
    await alice.getByText('All', { exact: true }).click();
    await eventually(
      () => rows.count(),
      (n) => n === 50,
      'rows with no filter',
    );

    // And read again, through "select all" narrowed to the two.
    await alice.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await alice.getByTestId('bulk-actions').getByText('50 selected').waitFor();
    await alice.getByRole('checkbox', { name: 'Select all on this page' }).uncheck();
    for (const i of picked) await rows.nth(i).getByRole('checkbox').check();
    await alice
      .getByTestId('bulk-actions')
      .getByRole('button', { name: /Mark read/ })
      .click();
    await eventually(
      () => inboxCount(alice),
      (n) => n === unread,
      'Inbox unread count after "Mark read"',
    );

    const search = alice.getByRole('searchbox', { name: 'Search mail' });
    await search.fill(`Figures with attachment ${run}`);
    await search.press('Enter');
    await eventually(
      () => rows.count(),
      (n) => n === 1,
      'rows matching the search',
    );
    await search.fill('');
    await search.press('Enter');
    await eventually(
      () => rows.count(),
      (n) => n === 50,
      'rows after clearing the search',
    );
  });

  it('sends a message with an attachment to a second user, who sees it arrive without reloading', async () => {
    await signInAs(bob, app.url, bobEmail, PASSWORD);
    await bob.goto(`${app.url}/admin/email`);
    await bob.getByText('Connect your Outlook mailbox').waitFor({ timeout: 60_000 });
    await connectThroughPopup(bob, bobEmail);
    await bob.getByText('This folder is empty.').waitFor({ timeout: 60_000 });

    await alice.getByRole('button', { name: 'New message' }).click();
    const to = alice.getByRole('combobox', { name: 'To' });
    await to.fill('not-an-address');
    await to.press('Enter');
    await alice.getByTestId('recipient-invalid').waitFor();
    await to.fill(bobEmail);
    await to.press('Enter');
    await alice.getByTestId('recipient').filter({ hasText: bobEmail }).waitFor();
    await alice.getByLabel('Subject').fill(subject);
    await alice.getByRole('textbox', { name: 'Message' }).click();
    await alice.keyboard.type('Hello Bob, the plan is attached.');
    await alice
      .locator('.ant-drawer input[type=file]')
      .setInputFiles({ name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from(`Plan ${run}\n`) });
    await alice.getByText('plan.txt', { exact: false }).first().waitFor();
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.getByTestId('compose-error').filter({ hasText: 'not-an-address' }).waitFor();
    await alice.getByTestId('recipient-invalid').locator('.ant-tag-close-icon').click();
    await shot(alice, 'compose');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.getByText('Message sent').waitFor({ timeout: 30_000 });

    // Bob never reloads: the new message shows up in his list and his top bar badge.
    await row(bob, subject).waitFor({ timeout: 30_000 });
    expect(await row(bob, subject).getAttribute('data-unread')).toBe('true');
    await eventually(
      () => badge(bob),
      (n) => n === 1,
      "Bob's top bar badge",
    );
  });

  it('the second user replies, and the first sees the reply in the conversation', async () => {
    await row(bob, subject).click();
    await bob.getByTestId('attachments').filter({ hasText: 'plan.txt' }).waitFor();
    const frame = (await (await bob.getByTestId('mail-body').elementHandle())!.contentFrame()) as Frame;
    await frame.getByText('Hello Bob, the plan is attached.').waitFor();
    await bob.getByRole('button', { name: /^(\S+ )?Reply$/ }).click();
    await bob.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await bob.getByLabel('Subject').inputValue()).toBe(`Re: ${subject}`);
    await bob.getByTestId('recipient').filter({ hasText: aliceEmail }).waitFor();
    await bob.getByRole('textbox', { name: 'Message' }).click();
    await bob.keyboard.type(`Thanks Alice, looks good ${run}.`);
    await bob.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.getByText('Message sent').waitFor({ timeout: 30_000 });

    // Her own message sits in Sent Items, which the server files after the send and the plugin checks on its
    // interval (Inbox mail arrives at once); "Sync now" fetches it without waiting.
    await alice.getByRole('button', { name: /Sync now/ }).click();
    await alice.getByRole('switch', { name: 'Conversations' }).click();
    const reply = row(alice, `Re: ${subject}`);
    await reply.waitFor({ timeout: 30_000 });
    await reply.click();
    const items = alice.getByTestId('conversation-item');
    await eventually(
      () => items.allInnerTexts(),
      (texts) => texts.length === 2,
      'messages in the conversation',
    );
    expect(await items.nth(0).innerText()).toContain('Hello Bob');
    expect(await items.nth(1).innerText()).toContain(`Thanks Alice, looks good ${run}.`);
    await shot(alice, 'conversation');
  });

  it('a saved draft waits in the Outbox pane, opens again as it was written, and is sent from there', async () => {
    const draftSubject = `Draft to finish ${run}`;
    await bob.getByRole('button', { name: 'New message' }).click();
    const to = bob.getByRole('combobox', { name: 'To' });
    await to.fill(aliceEmail);
    await to.press('Enter');
    await bob.getByLabel('Subject').fill(draftSubject);
    await bob.getByRole('textbox', { name: 'Message' }).click();
    await bob.keyboard.type('First half of the thought.');
    await bob
      .locator('.ant-drawer input[type=file]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(`Notes ${run}\n`) });
    await bob.getByRole('button', { name: 'Save draft' }).click();
    await bob.getByText('Draft saved').waitFor();
    await bob.getByRole('button', { name: 'Discard' }).click();
    await bob.getByLabel('Subject').waitFor({ state: 'detached' });

    await bob.getByRole('button', { name: /Outbox/ }).click();
    const item = bob.locator('.ant-list-item').filter({ hasText: draftSubject });
    await item.getByText('Draft', { exact: true }).waitFor();
    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await bob.getByLabel('Subject').inputValue()).toBe(draftSubject);
    await bob.getByTestId('recipient').filter({ hasText: aliceEmail }).waitFor();
    await bob.getByTestId('draft-attachments').filter({ hasText: 'notes.txt' }).waitFor();
    const editor = bob.getByRole('textbox', { name: 'Message' });
    expect(await editor.innerText()).toContain('First half of the thought.');
    await editor.click();
    await bob.keyboard.press('Control+End');
    await bob.keyboard.type(' And the second half.');
    await bob.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.getByText('Message sent').waitFor({ timeout: 30_000 });
    await item.waitFor({ state: 'detached', timeout: 30_000 });

    // Alice gets one message: both halves, and the file saved with the draft.
    await alice.getByRole('switch', { name: 'Conversations' }).click();
    await row(alice, draftSubject).waitFor({ timeout: 30_000 });
    expect(await row(alice, draftSubject).count()).toBe(1);
    await row(alice, draftSubject).click();
    await alice.getByTestId('attachments').filter({ hasText: 'notes.txt' }).waitFor();
    const frame = (await (await alice.getByTestId('mail-body').elementHandle())!.contentFrame()) as Frame;
    await frame.getByText(/First half of the thought\.\s+And the second half\./).waitFor();
  });

  it('a member links a message to a record from the reader, sees it listed, and unlinks it', async () => {
    // A small business table, as an admin makes it, that the member role may view whole (members see only their
    // own records by default).
    await app.admin.call('collections:create', {
      name: 'deals',
      title: 'Deals',
      titleField: 'title',
      fields: [{ name: 'title', type: 'string', interface: 'input', uiSchema: { type: 'string', title: 'Title' } }],
    });
    const dealTitle = `Acme renewal ${run}`;
    await app.admin.call('deals:create', { title: dealTitle });
    await app.admin.call('deals:create', { title: `Globex pilot ${run}` });
    await app.admin.call('roles/member/dataSourceResources:create', {
      dataSourceKey: 'main',
      name: 'deals',
      usingActionsConfig: true,
      actions: [{ name: 'view', fields: ['id', 'title'] }],
    });
    const aliceApi = new NocoBaseApi(app.url);
    await aliceApi.signIn(aliceEmail, PASSWORD);
    const linksOf = async (messageId: string) =>
      (
        (await aliceApi.get('mailLinks:listForMessage', { messageId })) as {
          data: Array<{ recordTitle: string; kind: string }>;
        }
      ).data;

    await row(alice, `Figures with attachment ${run}`).click();
    const detail = alice.getByTestId('message-detail');
    await detail.getByTestId('attachments').waitFor();
    const messageId = (await detail.getAttribute('data-message-id')) as string;
    await detail.getByRole('button', { name: 'Link to record…' }).click();
    const dialog = alice.getByRole('dialog').filter({ hasText: 'Link to record' });
    await dialog.getByRole('combobox', { name: 'Collection' }).click();
    const options = alice.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.filter({ hasText: 'Deals' }).waitFor();
    // Only business collections: no mail, no users or roles.
    expect(await options.allInnerTexts()).toEqual(['Deals']);
    await options.filter({ hasText: 'Deals' }).click();
    const record = dialog.getByRole('combobox', { name: 'Record' });
    await record.click();
    await record.fill('Acme');
    await eventually(
      () => options.allInnerTexts(),
      (texts) => texts.length === 1 && texts[0] === dealTitle,
      'records offered for "Acme"',
    );
    await shot(alice, 'link-to-record');
    await options.filter({ hasText: dealTitle }).click();
    await dialog.getByRole('button', { name: 'Link message' }).click();

    const link = detail.getByTestId('message-link').filter({ hasText: dealTitle });
    await link.waitFor();
    expect(await link.innerText()).toContain('Deals');
    expect((await linksOf(messageId)).map((l) => l.recordTitle)).toEqual([dealTitle]);
    await shot(alice, 'linked-record');

    await link.getByRole('button', { name: 'Unlink' }).click();
    await link.waitFor({ state: 'detached' });
    expect(await linksOf(messageId)).toEqual([]);

    // The whole conversation, so replies that arrive later are on the deal too.
    await detail.getByRole('button', { name: 'Link to record…' }).click();
    await dialog.getByRole('combobox', { name: 'Collection' }).click();
    await options.filter({ hasText: 'Deals' }).click();
    await record.click();
    await record.fill('Acme');
    await options.filter({ hasText: dealTitle }).click();
    await dialog.getByText('The whole conversation, replies to come included').click();
    await dialog.getByRole('button', { name: 'Link conversation' }).click();
    const thread = detail.getByTestId('message-link').filter({ hasText: dealTitle });
    await thread.filter({ hasText: '(conversation)' }).waitFor();
    expect(await linksOf(messageId)).toEqual([expect.objectContaining({ recordTitle: dealTitle, kind: 'thread' })]);
    await thread.getByRole('button', { name: 'Unlink' }).click();
    await thread.waitFor({ state: 'detached' });
    expect(await linksOf(messageId)).toEqual([]);
  });
});
