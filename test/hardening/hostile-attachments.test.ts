/**
 * Hostile and broken attachments (and headers) through sync, the list, opening and downloading: what a user sees
 * and saves must be the file as it is, under a name that does not lie, and no message may wedge the account.
 */
import type { MockServer } from '@nocobase/test';
import type { Agent } from '../helpers/mail-app';
import type { MailMessageListItem, MailMessageView } from '../../src/shared/mail-reading-types';
import { connectedUser, otherClient, readingApp } from '../../src/server/sync/__tests__/helpers/reading-app';
import { DECODED_SIZE_BYTES, hostileAttachments } from './hostile-corpus';

jest.setTimeout(120_000);

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** A request that must answer at all: a hung account shows up as this rejection, not as a jest timeout. */
async function answers<T>(what: string, request: PromiseLike<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([request, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('hostile attachments', () => {
  let app: MockServer;
  let agent: Agent;
  let listed: MailMessageListItem[];

  const bySubject = (subject: string) => {
    const found = listed.find((m) => m.subject === subject);
    if (!found) throw new Error(`not listed: ${subject}`);
    return found;
  };
  const download = (m: MailMessageListItem, part: string) =>
    agent.get(`/mailMessages:attachment?filterByTk=${m.id}&part=${encodeURIComponent(part)}`).buffer(true).parse(binary as never);
  const open = async (m: MailMessageListItem) => {
    const res = await agent.resource('mailMessages').get({ filterByTk: m.id, markRead: false });
    expect(res.status).toBe(200);
    return res.body.data as MailMessageView;
  };

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    const user = await connectedUser(app);
    agent = user.agent;
    const other = await otherClient(user.email);
    for (const m of hostileAttachments()) await other.append('INBOX', m.raw, ['\\Seen']);
    await other.logout().catch(() => undefined);
    const sync = await agent.resource('mailAccounts').sync({ filterByTk: user.accountId });
    expect(sync.status).toBe(200);
    const res = await agent.resource('mailMessages').list({ pageSize: 100 });
    expect(res.status).toBe(200);
    listed = res.body.data as MailMessageListItem[];
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('downloads attachments whose content type holds control or non-ASCII characters, and the account still answers after', async () => {
    const m = bySubject('Broken content types');
    expect(m.attachments.filter((a) => !a.inline)).toHaveLength(5);
    const answered: Array<[string | null, number, string]> = [];
    for (const file of m.attachments) {
      const res = await answers(`the download of ${file.filename}`, download(m, file.part));
      answered.push([file.filename, res.status, res.status === 200 ? (res.body as Buffer).toString() : '']);
    }
    // The mailbox lock and the IMAP stream of each download were released: the next action on the same folder of
    // the same account answers.
    const next = await answers("the account's next action", agent.resource('mailMessages').get({ filterByTk: bySubject('Decoded size').id, markRead: false }));
    expect(next.status).toBe(200);
    expect(answered).toEqual(m.attachments.map((a) => [a.filename, 200, '%PDF-1.4']));
    // Listed with a type a browser and an HTTP header can carry.
    for (const file of m.attachments) {
      expect([file.filename, file.contentType]).toEqual([file.filename, expect.stringMatching(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/)]);
    }
  });
});
