import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailFolderView, MailMessageListItem, MailMessageView } from '../../../shared/mail-reading-types';
import { connectedUser, otherClient, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('messages API: bodies, attachments, actions, search', () => {
  let app: MockServer;
  let agent: Agent;
  let accountId: number;
  let other: ImapFlow;
  let folders: MailFolderView[];

  const folder = (role: string) => folders.find((f) => f.role === role) as MailFolderView;
  const list = async (params: Record<string, unknown> = {}) => {
    const res = await agent.resource('mailMessages').list({ pageSize: 200, ...params });
    expect(res.status).toBe(200);
    return res.body.data as MailMessageListItem[];
  };
  const bySubject = async (subject: string) =>
    (await list({ q: subject })).find((m) => m.subject === subject) as MailMessageListItem;
  const serverFlags = async (path: string, subject: string) => {
    const lock = await other.getMailboxLock(path, { readOnly: true });
    try {
      const uids = await other.search({ subject }, { uid: true });
      if (!uids || !uids.length) return null;
      const m = await other.fetchOne(String(uids[0]), { flags: true }, { uid: true });
      return m ? m.flags : null;
    } finally {
      lock.release();
    }
  };
  const sync = async () =>
    expect((await agent.resource('mailAccounts').sync({ filterByTk: accountId })).status).toBe(200);

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    const email = `api-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [
      {
        subject: 'Newsletter with pictures',
        from: 'News Desk <news@shop.example>',
        html: '<h1>Offers</h1><script>alert(1)</script><img src="cid:logo@shop.example" alt="logo"><img src="https://tracker.example/open.gif"><a href="javascript:alert(2)">x</a>',
        text: 'Offers in plain text',
        attachments: [
          { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@shop.example' },
          { filename: 'Prices 2024 «final».pdf', content: PDF, contentType: 'application/pdf' },
        ],
      },
      {
        subject: 'Quarterly numbers',
        from: 'Bob Builder <bob@example.test>',
        text: 'Revenue is up 10% this quarter.',
        date: new Date(Date.now() - 5 * 86_400_000),
      },
      { subject: 'Lunch?', from: 'Carol <carol@example.test>', text: 'Pizza at noon', flags: ['\\Seen'] },
      { subject: 'Move me', text: 'to the archive' },
      { subject: 'Delete me', text: 'to the trash, then for good' },
      { subject: 'Bulk one', text: 'a' },
      { subject: 'Bulk two', text: 'b' },
    ]);
    ({ agent, accountId } = await connectedUser(app, email));
    await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt, {
      what: 'first sync',
    });
    folders = (await agent.resource('mailFolders').list()).body.data;
    other = await otherClient(email);
  }, 60_000);

  afterAll(async () => {
    await other?.logout().catch(() => undefined);
    await app?.destroy();
  });

  it('opens a message: parsed body, HTML sanitised, remote images held back, cid images pointed at the attachment endpoint', async () => {
    const row = await bySubject('Newsletter with pictures');
    expect(row).toMatchObject({ read: false, hasAttachments: true });
    const res = await agent.resource('mailMessages').get({ filterByTk: row.id });
    expect(res.status).toBe(200);
    const view = res.body.data as MailMessageView;
    expect(view.text).toContain('Offers in plain text');
    expect(view.html).toContain('<h1>Offers</h1>');
    expect(view.html).not.toMatch(/<script|javascript:|\ssrc="https:\/\/tracker/);
    expect(view.html).toContain('data-remote-src="https://tracker.example/open.gif"');
    expect(view.hasRemoteContent).toBe(true);
    const logo = view.attachments.find((a) => a.contentId === 'logo@shop.example')!;
    expect(logo.inline).toBe(true);
    expect(view.html).toContain(`mailMessages:attachment?filterByTk=${row.id}&amp;part=${logo.part}&amp;inline=1`);
    // Opening marks it read, on the server first.
    expect(view.read).toBe(true);
    expect(await serverFlags('INBOX', 'Newsletter with pictures')).toContain('\\Seen');
    expect((await bySubject('Newsletter with pictures')).read).toBe(true);
  });

  it('markRead=false opens without marking read; a second open is served from the cache', async () => {
    const row = await bySubject('Quarterly numbers');
    const first = (await agent.resource('mailMessages').get({ filterByTk: row.id, markRead: false })).body
      .data as MailMessageView;
    expect(first.read).toBe(false);
    expect(first.text).toContain('Revenue is up 10%');
    expect(await serverFlags('INBOX', 'Quarterly numbers')).not.toContain('\\Seen');
    // Gone from the server behind the plugin's back: the cached body still answers until the next sync.
    const lock = await other.getMailboxLock('INBOX');
    const uid = (await other.search({ subject: 'Quarterly numbers' }, { uid: true })) as number[];
    const copy = await other.messageCopy(String(uid[0]), 'Archive', { uid: true });
    await other.messageDelete(String(uid[0]), { uid: true });
    lock.release();
    const again = await agent.resource('mailMessages').get({ filterByTk: row.id, markRead: false });
    expect(again.status).toBe(200);
    expect(again.body.data.text).toBe(first.text);
    expect(copy).toBeTruthy();
    await sync();
    expect((await agent.resource('mailMessages').get({ filterByTk: row.id })).status).toBe(404);
  });

  it('streams an attachment with its type and a safe filename, byte for byte', async () => {
    const row = await bySubject('Newsletter with pictures');
    const pdf = row.attachments.find((a) => a.contentType === 'application/pdf')!;
    const res = await agent
      .get(`/mailMessages:attachment?filterByTk=${row.id}&part=${pdf.part}`)
      .buffer(true)
      .parse(binary as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Prices 2024 _final_.pdf"; filename*=UTF-8''${encodeURIComponent('Prices 2024 «final».pdf')}`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);

    const logo = row.attachments.find((a) => a.contentType === 'image/png')!;
    const img = await agent
      .get(`/mailMessages:attachment?filterByTk=${row.id}&part=${logo.part}&inline=1`)
      .buffer(true)
      .parse(binary as never);
    expect(img.status).toBe(200);
    expect(img.headers['content-disposition']).toMatch(/^inline; filename="logo.png"/);
    expect(Buffer.compare(img.body as Buffer, PNG)).toBe(0);

    const missing = await agent.get(`/mailMessages:attachment?filterByTk=${row.id}&part=9.9`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].message).toMatch(/No such attachment/);
  });

  it('marks read/unread and flags/unflags one message or many, on the server and locally', async () => {
    const one = await bySubject('Bulk one');
    const two = await bySubject('Bulk two');
    const ids = [one.id, two.id];
    expect((await agent.resource('mailMessages').markRead({ filterByTk: ids })).body.data).toEqual({ ids });
    expect(await serverFlags('INBOX', 'Bulk one')).toContain('\\Seen');
    expect(await serverFlags('INBOX', 'Bulk two')).toContain('\\Seen');
    expect((await list({ q: 'Bulk' })).every((m) => m.read)).toBe(true);

    await agent.resource('mailMessages').flag({ filterByTk: ids });
    expect(await serverFlags('INBOX', 'Bulk two')).toContain('\\Flagged');
    expect((await list({ flagged: true })).map((m) => m.subject).sort()).toEqual(['Bulk one', 'Bulk two']);

    await agent.resource('mailMessages').unflag({ filterByTk: one.id });
    await agent.resource('mailMessages').markUnread({ filterByTk: one.id });
    expect(await serverFlags('INBOX', 'Bulk one')).not.toContain('\\Flagged');
    expect(await serverFlags('INBOX', 'Bulk one')).not.toContain('\\Seen');
    expect(await bySubject('Bulk one')).toMatchObject({ read: false, flagged: false });

    // Folder badges follow at once.
    const status = await other.status('INBOX', { unseen: true });
    const inbox = ((await agent.resource('mailFolders').list()).body.data as MailFolderView[]).find(
      (f) => f.role === 'inbox',
    )!;
    expect(inbox.unreadCount).toBe(status && status.unseen);
  });

  it('moves a message to another folder, keeping it listed there', async () => {
    const row = await bySubject('Move me');
    const res = await agent
      .resource('mailMessages')
      .move({ filterByTk: row.id, values: { folderId: folder('archive').id } });
    expect(res.status).toBe(200);
    expect(await serverFlags('INBOX', 'Move me')).toBeNull();
    expect(await serverFlags('Archive', 'Move me')).not.toBeNull();
    const moved = await bySubject('Move me');
    expect(moved.folderId).toBe(folder('archive').id);
    expect((await list({ folderId: folder('inbox').id })).map((m) => m.subject)).not.toContain('Move me');
  });

  it('deletes to Trash, and from Trash for good', async () => {
    const row = await bySubject('Delete me');
    await agent.resource('mailMessages').delete({ filterByTk: row.id });
    expect(await serverFlags('Deleted Items', 'Delete me')).not.toBeNull();
    const trashed = await bySubject('Delete me');
    expect(trashed.folderId).toBe(folder('trash').id);

    await agent.resource('mailMessages').delete({ filterByTk: trashed.id });
    expect(await serverFlags('Deleted Items', 'Delete me')).toBeNull();
    expect(await bySubject('Delete me')).toBeUndefined();
  });

  it('searches subject, addresses and snippet, with filters', async () => {
    expect((await list({ q: 'pizza' })).map((m) => m.subject)).toEqual(['Lunch?']);
    expect((await list({ q: 'carol' })).map((m) => m.subject)).toEqual(['Lunch?']);
    expect((await list({ q: 'NEWSLETTER pictures' })).map((m) => m.subject)).toEqual(['Newsletter with pictures']);
    expect((await list({ from: 'news@shop' })).map((m) => m.subject)).toEqual(['Newsletter with pictures']);
    // Any case; a typed % or _ is the character itself, not a wildcard.
    expect((await list({ from: 'NEWS@Shop' })).map((m) => m.subject)).toEqual(['Newsletter with pictures']);
    expect(await list({ from: '%' })).toEqual([]);
    expect(await list({ from: 'news_shop' })).toEqual([]);
    expect((await list({ hasAttachments: true })).map((m) => m.subject)).toEqual(['Newsletter with pictures']);
    expect(await list({ q: '100%' })).toEqual([]);
    const since = new Date(Date.now() - 86_400_000).toISOString();
    expect((await list({ dateFrom: since })).length).toBeGreaterThan(0);
    expect(await list({ dateTo: new Date(Date.now() - 30 * 86_400_000).toISOString() })).toEqual([]);
  });

  it('keeps list totals (meta.count) exact as mail changes: new mail, read, move, delete', async () => {
    const total = async (params: Record<string, unknown>) => {
      const res = await agent.resource('mailMessages').list({ pageSize: 1, ...params });
      expect(res.status).toBe(200);
      return res.body.meta.count as number;
    };
    const inbox = { folderId: folder('inbox').id };
    const unreadInbox = { ...inbox, unread: true };
    const archive = { folderId: folder('archive').id };
    const threads = { ...inbox, threads: true };
    const before = {
      inbox: await total(inbox),
      unread: await total(unreadInbox),
      archive: await total(archive),
      threads: await total(threads),
    };
    expect(await total(inbox)).toBe(before.inbox);

    const raw = `From: Dana <dana@example.test>\r\nTo: me@example.test\r\nSubject: Count me in\r\nMessage-ID: <count-${Date.now()}@example.test>\r\n\r\nHello\r\n`;
    await other.append('INBOX', raw, []);
    await sync();
    expect(await total(inbox)).toBe(before.inbox + 1);
    expect(await total(unreadInbox)).toBe(before.unread + 1);
    expect(await total(threads)).toBe(before.threads + 1);

    const row = await bySubject('Count me in');
    await agent.resource('mailMessages').markRead({ filterByTk: row.id });
    expect(await total(unreadInbox)).toBe(before.unread);
    await agent.resource('mailMessages').move({ filterByTk: row.id, values: { folderId: folder('archive').id } });
    expect(await total(inbox)).toBe(before.inbox);
    expect(await total(archive)).toBe(before.archive + 1);
    await agent.resource('mailMessages').delete({ filterByTk: (await bySubject('Count me in')).id });
    expect(await total(archive)).toBe(before.archive);
    expect(await total(inbox)).toBe(
      await app.db.getModel('mailMessages').count({ where: { folderId: folder('inbox').id } }),
    );
  });

  it.each([
    ['markRead', {}, 400, /Say which messages/],
    ['move', { filterByTk: 1 }, 400, /target folder/],
    ['list', { unread: 'maybe' }, 400, /unread must be true or false/],
    ['list', { pageSize: 5000 }, 400, /pageSize must be a whole number/],
    ['list', { dateFrom: 'yesterday-ish' }, 400, /dateFrom must be a date/],
    ['get', { filterByTk: 'abc' }, 400, /message id must be a whole number/],
  ])('%s with bad input %j answers %i with an actionable message', async (action, params, status, message) => {
    const res = await (
      agent.resource('mailMessages') as unknown as Record<
        string,
        (p: unknown) => Promise<{ status: number; body: { errors: { message: string }[] } }>
      >
    )[action](params);
    expect(res.status).toBe(status);
    expect(res.body.errors[0].message).toMatch(message);
    expect(JSON.stringify(res.body)).not.toMatch(/\.(js|ts):\d+/);
  });
});
