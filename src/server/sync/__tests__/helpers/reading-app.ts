/**
 * A NocoBase app with the plugin, its settings pointed at the local mail stack (either IMAP capability profile),
 * and users who connected a mailbox through the real sign-in flow. Mail is put in place with a second, raw IMAP
 * client: "another mail client" as far as the plugin can tell.
 */
import type { MockServer } from '@nocobase/test';
import { ImapFlow, StatusObject } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  connectMailbox,
  createMailApp,
  pageMessage,
  standInSettings,
  testRedirectUri,
  userAgent,
} from '../../../../../test/helpers/mail-app';
import { issueAccessToken, newMailboxAddress, registerApp, getStack } from '../../../../../test/mail-stack/client';
import type { MailReadingOptions } from '../../register';
import { getMailReading } from '../../register';
import { waitFor } from '../../../../../test/helpers/wait-for';

export type Profile = 'full' | 'outlook';

export function imapPort(profile: Profile): number {
  const stack = getStack();
  return profile === 'outlook' ? stack.imapOutlook.port : stack.imap.port;
}

export async function readingApp(
  profile: Profile,
  reading: MailReadingOptions = {},
  settings: Record<string, unknown> = {},
  extraPlugins: string[] = [],
) {
  const { app, plugin } = await createMailApp(
    { reading: { background: true, scanIntervalMs: 2000, ...reading } },
    extraPlugins,
  );
  const { agent: admin } = await userAgent(app, 'admin');
  const registration = await registerApp({ redirectUris: [testRedirectUri(app)] });
  const res = await admin.resource('mailSettings').update({
    values: standInSettings(registration, { imapHost: 'localhost', imapPort: imapPort(profile), ...settings }),
  });
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  return { app, plugin, admin, reading: getMailReading(app) };
}

/** A member who connected a fresh mailbox. */
export async function connectedUser(app: MockServer, email = newMailboxAddress('reader')) {
  const { user, agent } = await userAgent(app, 'member');
  const { callback } = await connectMailbox(agent, email);
  const result = pageMessage(callback.text);
  if (!result.ok || !result.accountId) throw new Error(`connect failed: ${JSON.stringify(result)}`);
  return { user, agent, email, accountId: Number(result.accountId) };
}

/** Another IMAP client on the same mailbox (full capabilities unless asked otherwise). */
export async function otherClient(email: string, profile: Profile = 'full'): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: 'localhost',
    port: imapPort(profile),
    secure: true,
    logger: false,
    disableAutoIdle: true,
    auth: { user: email, accessToken: await issueAccessToken(email) },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface TestMessage {
  subject: string;
  from?: string;
  to?: string;
  cc?: string;
  date?: Date;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  text?: string;
  html?: string;
  attachments?: Array<{ filename: string; content: Buffer | string; contentType?: string; cid?: string }>;
  flags?: string[];
  /** Extra header lines, e.g. `{ Sensitivity: 'Private' }`. */
  headers?: Record<string, string>;
}

export async function rawMessage(m: TestMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from ?? 'Alice Example <alice@example.test>',
    to: m.to ?? 'reader@example.test',
    cc: m.cc,
    subject: m.subject,
    date: m.date ?? new Date(),
    messageId: m.messageId,
    inReplyTo: m.inReplyTo,
    references: m.references,
    text: m.text ?? `Body of ${m.subject}`,
    html: m.html,
    attachments: m.attachments,
    headers: m.headers,
  });
  return composer.compile().build();
}

/** Appends messages (with flags and received dates) as another client would. Returns their UIDs. */
export async function appendMessages(client: ImapFlow, folder: string, messages: TestMessage[]): Promise<number[]> {
  const uids: number[] = [];
  for (const m of messages) {
    const res = await client.append(folder, await rawMessage(m), m.flags ?? [], m.date ?? new Date());
    if (res && res.uid) uids.push(res.uid);
  }
  return uids;
}

export { waitFor };

/** Messages a user of this kind of product has: threads with replies, attachments, inline images, read and unread. */
export function realisticMix(count: number, now = Date.now()): TestMessage[] {
  const out: TestMessage[] = [];
  let thread = 0;
  while (out.length < count) {
    const i = out.length;
    const date = new Date(now - (count - i) * 60_000);
    const kind = i % 10;
    if (kind === 3 && out.length + 3 <= count) {
      // A conversation: an original, a reply, a reply to the reply.
      const root = `<thread-${thread}-root@example.test>`;
      const r1 = `<thread-${thread}-r1@example.test>`;
      out.push({ subject: `Project ${thread}`, messageId: root, date, text: `Kick-off for project ${thread}.` });
      out.push({
        subject: `Re: Project ${thread}`,
        messageId: r1,
        inReplyTo: root,
        references: [root],
        date: new Date(date.getTime() + 1000),
        flags: ['\\Seen'],
      });
      out.push({
        subject: `RE: Re: Project ${thread}`,
        messageId: `<thread-${thread}-r2@example.test>`,
        inReplyTo: r1,
        references: [root, r1],
        date: new Date(date.getTime() + 2000),
      });
      thread++;
      continue;
    }
    const m: TestMessage = {
      subject: `Message ${i}`,
      messageId: `<m-${i}@example.test>`,
      date,
      text: `Hello number ${i}.`,
    };
    if (kind === 5)
      m.attachments = [
        { filename: `report-${i}.pdf`, content: Buffer.alloc(2048, i % 256), contentType: 'application/pdf' },
      ];
    if (kind === 7) {
      m.html = `<p>Logo below</p><img src="cid:logo-${i}@example.test">`;
      m.attachments = [
        {
          filename: 'logo.png',
          content: Buffer.from('89504e470d0a1a0a', 'hex'),
          contentType: 'image/png',
          cid: `logo-${i}@example.test`,
        },
      ];
    }
    if (i % 3 === 0) m.flags = ['\\Seen'];
    if (i % 17 === 0) m.flags = [...(m.flags ?? []), '\\Flagged'];
    out.push(m);
  }
  return out;
}

/** Fast seeding: one APPEND per message over one connection (LITERAL+), a few hundred per second on loopback. */
export async function seed(
  email: string,
  folder: string,
  messages: TestMessage[],
  profile: Profile = 'full',
): Promise<number[]> {
  const client = await otherClient(email, profile);
  try {
    if (folder !== 'INBOX') await client.mailboxCreate(folder).catch(() => undefined);
    return await appendMessages(client, folder, messages);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** STATUS from another client, as a plain object (imapflow answers `false` for a missing mailbox). */
export async function statusOf(client: ImapFlow, path: string): Promise<StatusObject> {
  const st = await client.status(path, { messages: true, unseen: true, uidValidity: true, uidNext: true });
  if (!st) throw new Error(`no STATUS for ${path}`);
  return st;
}
