/**
 * A NocoBase app with the plugin pointed at the local mail stack for both directions: IMAP (Dovecot) and SMTP
 * submission (Postfix with XOAUTH2). Like Outlook, the stack files a copy of submitted mail in Sent Items itself,
 * so the plugin's own Sent copy is off, as an admin would leave it for Outlook. What arrives is read back with a
 * separate imapflow client and parsed with mailparser: the view of any other mail client.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MockServer } from '@nocobase/test';
import { ImapFlow } from 'imapflow';
import { ParsedMail, simpleParser } from 'mailparser';
import {
  connectMailbox,
  createMailApp,
  pageMessage,
  standInSettings,
  testRedirectUri,
  userAgent,
} from '../../../../../test/helpers/mail-app';
import { assertPrivateMailStack } from '../../../../../test/helpers/private-mail-stack';
import { getStack, issueAccessToken, newMailboxAddress, registerApp } from '../../../../../test/mail-stack/client';
import { postfixPaths, startPostfix } from '../../../../../test/mail-stack/postfix';
import { canConnect } from '../../../../../test/mail-stack/process';
import type { MailMessageListItem } from '../../../../shared/mail-reading-types';
import { getMailReading } from '../../../sync/register';
import { waitFor } from '../../../../../test/helpers/wait-for';

export async function sendingApp(
  settings: Record<string, unknown> = {},
  pluginOptions: Record<string, unknown> = {},
  extraPlugins: string[] = [],
) {
  // Background sync starts once the test's users are connected (`startSync`): sign-ins and sync sessions
  // interleaving on in-memory SQLite's single connection trip over each other's transactions.
  const { app, plugin } = await createMailApp({ reading: { background: false }, ...pluginOptions }, extraPlugins);
  const { agent: admin } = await userAgent(app, 'admin');
  const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
  const stack = getStack();
  const res = await admin.resource('mailSettings').update({
    values: standInSettings(registration, {
      imapHost: 'localhost',
      imapPort: stack.imap.port,
      smtpHost: 'localhost',
      smtpPort: stack.smtp.port,
      appendSentCopy: false,
      ...settings,
    }),
  });
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  return { app, plugin, admin };
}

/** Starts background sync (sessions, push) on this node, as a running app does. */
export function startSync(app: MockServer): void {
  getMailReading(app).coordinator.start();
}

/** A member who connected a fresh mailbox through the real sign-in flow. */
export async function connectedUser(app: MockServer, prefix = 'user') {
  const email = newMailboxAddress(prefix);
  const { user, agent } = await userAgent(app, 'member');
  const { callback } = await connectMailbox(agent, email);
  const result = pageMessage(callback.text);
  if (!result.ok || !result.accountId) throw new Error(`connect failed: ${JSON.stringify(result)}`);
  const account = await agent.resource('mailAccounts').get({ filterByTk: result.accountId });
  return {
    user,
    agent,
    email,
    accountId: Number(result.accountId),
    displayName: account.body.data.displayName as string,
  };
}

/** Another mail client on the mailbox. */
export async function imapClient(email: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    ...getStack().imap,
    logger: false,
    disableAutoIdle: true,
    auth: { user: email, accessToken: await issueAccessToken(email) },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface Received {
  uid: number;
  flags: Set<string>;
  raw: Buffer;
  parsed: ParsedMail;
}

/** Every message in a folder, parsed. */
export async function readFolder(email: string, folder = 'INBOX'): Promise<Received[]> {
  const client = await imapClient(email);
  try {
    const box = await client.mailboxOpen(folder);
    if (!box.exists) return [];
    const out: Received[] = [];
    for await (const m of client.fetch('1:*', { uid: true, flags: true, source: true })) {
      out.push({ uid: m.uid, flags: m.flags ?? new Set(), raw: m.source!, parsed: await simpleParser(m.source!) });
    }
    return out;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

export { waitFor };

/** Messages of a folder (by role) as the plugin lists them, after a sync. */
export async function listed(agent: ReturnType<MockServer['agent']>, accountId: number, role: string) {
  await agent.resource('mailAccounts').sync({ filterByTk: accountId });
  const folders = await agent.resource('mailFolders').list({ accountId });
  const folder = (folders.body.data as Array<{ id: number; role: string | null; accountId: number }>).find(
    (f) => f.role === role && Number(f.accountId) === accountId,
  );
  if (!folder) return [];
  const res = await agent.resource('mailMessages').list({ folderId: folder.id, pageSize: 200 });
  return res.body.data as MailMessageListItem[];
}

/** A multipart/form-data send, as the browser's FormData sends it. */
export function postForm(
  agent: ReturnType<MockServer['agent']>,
  action: string,
  values: Record<string, unknown>,
  files: Array<{ name: string; content: Buffer; contentType?: string }> = [],
) {
  let req = agent.post(`/${action}`).field('values', JSON.stringify(values));
  for (const f of files)
    req = req.attach('files', f.content, {
      filename: f.name,
      contentType: f.contentType ?? 'application/octet-stream',
    });
  return req;
}

const run = promisify(execFile);

/** Stops the stack's Postfix (the submission port refuses connections afterwards). */
export async function stopPostfix(): Promise<void> {
  assertPrivateMailStack('Stopping Postfix');
  const p = postfixPaths(getStack().stateDir);
  await run('postfix', ['-c', p.configDir, 'stop']);
  await waitFor(async () => !(await canConnect(getStack().smtp.port)), { what: 'Postfix to stop', timeoutMs: 15_000 });
}

export async function startPostfixAgain(): Promise<void> {
  await startPostfix(postfixPaths(getStack().stateDir));
  await waitFor(() => canConnect(getStack().smtp.port), { what: 'Postfix to start', timeoutMs: 15_000 });
}
