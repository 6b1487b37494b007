/**
 * Hostile and broken messages through sync, the list, opening and downloading: what a user sees and saves must be
 * the file as it is, under a name that does not lie; huge headers still show what they hold; and no message may
 * wedge the account.
 */
import type { MockServer } from '@nocobase/test';
import type { Agent } from '../helpers/mail-app';
import type { MailMessageListItem, MailMessageView } from '../../src/shared/mail-reading-types';
import { connectedUser, otherClient, readingApp } from '../../src/server/sync/__tests__/helpers/reading-app';
import { DECODED_SIZE_BYTES, hostileAttachments, tenThousandRecipients } from './hostile-corpus';

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

describe('reading hostile messages', () => {
  let app: MockServer;
  let agent: Agent;
  let listed: MailMessageListItem[];

  const bySubject = (subject: string) => {
    const found = listed.find((m) => m.subject === subject);
    if (!found) throw new Error(`not listed: ${subject}`);
    return found;
  };
  const download = (m: MailMessageListItem, part: string) =>
    agent
      .get(`/mailMessages:attachment?filterByTk=${m.id}&part=${encodeURIComponent(part)}`)
      .buffer(true)
      .parse(binary as never);
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
    for (const m of [...hostileAttachments(), tenThousandRecipients()]) await other.append('INBOX', m.raw, ['\\Seen']);
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
    const next = await answers(
      "the account's next action",
      agent.resource('mailMessages').get({ filterByTk: bySubject('Decoded size').id, markRead: false }),
    );
    expect(next.status).toBe(200);
    expect(answered).toEqual(m.attachments.map((a) => [a.filename, 200, '%PDF-1.4']));
    // Listed with a type a browser and an HTTP header can carry.
    for (const file of m.attachments) {
      expect([file.filename, file.contentType]).toEqual([
        file.filename,
        expect.stringMatching(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/),
      ]);
    }
  });

  it('lists, opens and downloads file names without bidi or invisible characters, so the real extension shows', async () => {
    const m = bySubject('Right-to-left override in a file name');
    const expected = ['invoicefdp.exe', 'photogpj.scr'];
    expect(m.attachments.map((a) => a.filename)).toEqual(expected);
    expect((await open(m)).attachments.map((a) => a.filename)).toEqual(expected);
    for (const [i, a] of m.attachments.entries()) {
      const res = await download(m, a.part);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${expected[i]}"; filename*=UTF-8''${expected[i]}`,
      );
    }
  });

  it('lists an attachment with its decoded size: estimated from the base64 length at sync, exact once opened', async () => {
    const m = bySubject('Decoded size');
    const estimate = m.attachments[0].size;
    expect(Math.abs(estimate - DECODED_SIZE_BYTES) / DECODED_SIZE_BYTES).toBeLessThan(0.01);
    expect((await open(m)).attachments[0].size).toBe(DECODED_SIZE_BYTES);
    const again = (
      (await agent.resource('mailMessages').list({ q: 'Decoded size' })).body.data as MailMessageListItem[]
    ).find((x) => x.id === m.id)!;
    expect(again.attachments[0].size).toBe(DECODED_SIZE_BYTES);
    const res = await download(m, m.attachments[0].part);
    expect((res.body as Buffer).length).toBe(DECODED_SIZE_BYTES);
  });

  it('downloads unnamed attachments under a name with the extension of their type', async () => {
    const m = bySubject('Unnamed attachments');
    const names: string[] = [];
    for (const a of m.attachments) {
      const res = await download(m, a.part);
      expect(res.status).toBe(200);
      names.push(/filename="([^"]*)"/.exec(String(res.headers['content-disposition']))?.[1] ?? '');
    }
    expect(names).toEqual(['attachment-2.pdf', 'attachment-3.bin']);
  });

  it("lists an invitation's calendar once, as its invite.ics, not its text/calendar alternative beside it", async () => {
    const m = bySubject('Invitation: planning');
    expect(m.attachments.filter((a) => !a.inline).map((a) => a.filename)).toEqual(['invite.ics']);
  });

  it('opens a message with a one-megabyte header line, showing its body as raw text and saying why', async () => {
    const view = await open(bySubject('One huge header line'));
    expect(view.text).toContain('The body under a one-megabyte header line.');
    expect(view.bodyError).toMatch(/shown as raw text/);
  });

  it('opens a 10,000-recipient message with its totals, and gives the full list on demand', async () => {
    const m = bySubject('Ten thousand recipients');
    const view = await open(m);
    expect([view.toTotal, view.ccTotal]).toEqual([10_000, 0]);
    const res = await agent.resource('mailMessages').recipients({ filterByTk: m.id });
    expect(res.status).toBe(200);
    const full = res.body.data as { to: Array<{ address: string }>; cc: unknown[] };
    expect(full.to).toHaveLength(10_000);
    expect(full.to.map((a) => a.address)).toEqual(Array.from({ length: 10_000 }, (_, i) => `r${i}@example.org`));
    expect(full.cc).toEqual([]);
    // Another message's totals are its own lists' lengths, with no trip to the server.
    expect((await open(bySubject('Decoded size'))).toTotal).toBe(1);
  });

  it('parses a body cached by an older sanitiser again on its next open', async () => {
    const m = bySubject('Unnamed attachments');
    await open(m);
    const model = app.db.getModel('mailMessages');
    await model.update(
      {
        bodyHtml: '<div data-remote-style="background: image-set(\'https://evil.example/x.png\' 1x)">old</div>',
        bodyCachedAt: new Date('2026-01-01T00:00:00Z'),
      },
      { where: { id: m.id }, hooks: false },
    );
    const view = await open(m);
    expect(view.html).toBeNull();
    expect(view.text).toContain('Unnamed attachments');
  });
});
