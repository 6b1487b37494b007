/**
 * The background text indexer and "Search on the server" against the real stack (Outlook capability profile):
 * body text for search after the sync, bounded, from HTML too, without marking anything read, batch by batch,
 * with push going on meanwhile; and IMAP SEARCH finding what the window left out.
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import { deliver, newMailboxAddress } from '../../../../test/mail-stack/client';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailMessageListItem, MailServerSearchView, MailSyncStatusView } from '../../../shared/mail-reading-types';
import type { MailEvents } from '../../events';
import type { PluginEmailManagerServer } from '../../plugin';
import { TextIndexStore } from '../../store/text-index-store';
import { getMailReading } from '../register';
import { TextIndexer } from '../text-indexer';
import {
  appendMessages,
  connectedUser,
  otherClient,
  readingApp,
  seed,
  TestMessage,
  waitFor,
} from './helpers/reading-app';

const DAY = 86_400_000;
const BOUND = 4096;

type IndexRow = { id: number; subject: string; indexedText: string | null; textIndexedAt: Date | string | null };

async function rowsOf(app: MockServer, accountId: number): Promise<IndexRow[]> {
  return (await app.db.getModel('mailMessages').findAll({
    attributes: ['id', 'subject', 'indexedText', 'textIndexedAt'],
    where: { accountId },
    order: [['id', 'ASC']],
    raw: true,
  })) as unknown as IndexRow[];
}

async function status(agent: Agent): Promise<MailSyncStatusView> {
  return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
}

/** A message with only an HTML body (no text/plain alternative), as some senders write them. */
function htmlOnly(subject: string, html: string): string {
  return [
    'From: Html Sender <html@example.test>',
    'To: reader@example.test',
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Date.now()}.html@example.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html,
    '',
  ].join('\r\n');
}

async function appendRaw(email: string, raw: string): Promise<void> {
  const client = await otherClient(email, 'outlook');
  try {
    await client.append('INBOX', raw, [], new Date());
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function seenOnServer(email: string): Promise<number> {
  const client: ImapFlow = await otherClient(email, 'outlook');
  try {
    const lock = await client.getMailboxLock('INBOX', { readOnly: true });
    try {
      let seen = 0;
      for await (const msg of client.fetch('1:*', { uid: true, flags: true }, { uid: true }))
        if (msg.flags?.has('\\Seen')) seen++;
      return seen;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

describe('the background text indexer and server search', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let agent: Agent;
  let email: string;
  let accountId: number;
  const batches: Array<MailEvents['messagesChanged']> = [];
  const bigBody = `Start of the big body. ${'filler text '.repeat(3000)}`;

  const row = async (subject: string) => (await rowsOf(app, accountId)).find((r) => r.subject === subject)!;
  const caughtUp = (what: string, total?: number) =>
    waitFor(
      async () => {
        const st = await status(agent);
        return st.lastSyncAt && st.textIndex.total > 0 && st.textIndex.done === st.textIndex.total
          ? (total === undefined || st.textIndex.total === total) && st
          : null;
      },
      { timeoutMs: 60_000, what },
    );

  beforeAll(async () => {
    ({ app, plugin } = await readingApp(
      'outlook',
      { textIndex: { enabled: true, batchSize: 3, pauseMs: 300, maxBytes: BOUND } },
      { syncIntervalMinutes: 60 },
    ));
    plugin.events.on('messagesChanged', (e) => {
      if (e.change.kind === 'indexedText') batches.push(e);
    });
    email = newMailboxAddress('indexer');
    const messages: TestMessage[] = [];
    for (let i = 0; i < 7; i++)
      messages.push({ subject: `Plain ${i}`, text: `Plain body number ${i} with the word zebra${i}.` });
    messages.push({ subject: 'Big body', text: bigBody });
    messages.push({
      subject: 'Ancient report',
      date: new Date(Date.now() - 90 * DAY),
      from: 'Old Sender <old@example.test>',
      text: 'Ancient body with the word quokka.',
    });
    await seed(email, 'INBOX', messages, 'outlook');
    await appendRaw(
      email,
      htmlOnly('Html only', '<style>.x{color:red}</style><p>Hello <b>html</b> world, p=C5=99=C3=ADlohy</p>'),
    );
    ({ agent, accountId } = await connectedUser(app, email));
    await caughtUp('the first indexing run', 9);
  }, 120_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('fills the text of every message of the window, batch by batch, each batch told once', async () => {
    const rows = await rowsOf(app, accountId);
    expect(rows.map((r) => r.subject).sort()).toEqual(
      ['Big body', 'Html only', ...Array.from({ length: 7 }, (_, i) => `Plain ${i}`)].sort(),
    );
    for (const r of rows) {
      expect(r.indexedText).toBeTruthy();
      expect(r.textIndexedAt).not.toBeNull();
    }
    expect(batches.length).toBe(3);
    for (const b of batches) {
      expect(b.accountId).toBe(accountId);
      expect(b.ids.length).toBeLessThanOrEqual(3);
    }
    const told = batches.flatMap((b) => b.ids).sort((a, b) => a - b);
    expect(told).toEqual(rows.map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(await status(agent)).toMatchObject({ textIndex: { done: 9, total: 9 } });
  });

  it('keeps the plain text of a text/plain body', async () => {
    expect((await row('Plain 3')).indexedText).toBe('Plain body number 3 with the word zebra3.');
  });

  it('turns an HTML-only body into text, without its style sheet', async () => {
    const text = (await row('Html only')).indexedText!;
    expect(text).toContain('Hello html world, přílohy');
    expect(text).not.toContain('color');
  });

  it('cuts a big body at the bound', async () => {
    const text = (await row('Big body')).indexedText!;
    expect(text.startsWith('Start of the big body. filler text')).toBe(true);
    // The bound is on the bytes fetched: line breaks and the transfer encoding's soft breaks take a few of them.
    expect(text.length).toBeLessThanOrEqual(BOUND);
    expect(text.length).toBeGreaterThan(BOUND * 0.9);
    expect(text.length).toBeLessThan(bigBody.length / 5);
  });

  it('marks nothing read: the messages stay unread on the server and in the list', async () => {
    expect(await seenOnServer(email)).toBe(0);
    expect((await rowsOf(app, accountId)).length).toBe(9);
    const list = (await agent.resource('mailMessages').list({ pageSize: 50 })).body.data as MailMessageListItem[];
    expect(list.every((m) => !m.read)).toBe(true);
  });

  it('lets push deliver while it indexes, then indexes the new mail too', async () => {
    const client = await otherClient(email, 'outlook');
    try {
      await appendMessages(
        client,
        'INBOX',
        Array.from({ length: 45 }, (_, i) => ({ subject: `Later ${i}`, text: `Later body ${i}.` })),
      );
    } finally {
      await client.logout().catch(() => client.close());
    }
    await waitFor(
      async () => {
        const st = await status(agent);
        return st.textIndex.total === 54 && st.textIndex.done < st.textIndex.total;
      },
      { what: 'indexing of the new mail to be under way' },
    );
    const subject = `Pushed while indexing ${Date.now()}`;
    await deliver({ to: email, subject, text: 'Delivered while the indexer runs.' });
    await waitFor(
      async () =>
        ((await agent.resource('mailMessages').list({ q: subject })).body.data as MailMessageListItem[]).length,
      { what: 'the pushed message' },
    );
    // The message was listed while indexing was still going on: push did not wait for the indexer.
    const during = await status(agent);
    expect(during.textIndex.done).toBeLessThan(during.textIndex.total);
    await caughtUp('indexing of the new mail', 55);
    expect((await row(subject)).indexedText).toBe('Delivered while the indexer runs.');
    expect(await seenOnServer(email)).toBe(0);
  }, 120_000);

  it('a server search finds a message older than the window, stores it, and lists it', async () => {
    expect((await row('Ancient report')) ?? null).toBeNull();
    const res = await agent.resource('mailMessages').serverSearch({ values: { accountId, query: 'quokka' } });
    expect(res.status).toBe(200);
    const view = res.body.data as MailServerSearchView;
    expect(view.found).toBe(1);
    expect(view.messages.map((m) => m.subject)).toEqual(['Ancient report']);
    expect(view.messages[0]).toMatchObject({ read: false, snippet: 'Ancient body with the word quokka.' });
    const stored = await row('Ancient report');
    expect(Number(stored.id)).toBe(Number(view.messages[0].id));
    // Searching again stores nothing twice.
    await agent.resource('mailMessages').serverSearch({ values: { accountId, query: 'quokka' } });
    expect((await rowsOf(app, accountId)).filter((r) => r.subject === 'Ancient report')).toHaveLength(1);
  });

  it('a server search runs from:, subject:, before:, after: and exclusions as IMAP SEARCH', async () => {
    const search = async (query: string, folderId?: number) =>
      (
        (await agent.resource('mailMessages').serverSearch({ values: { accountId, folderId, query } })).body
          .data as MailServerSearchView
      ).messages.map((m) => m.subject);
    const old = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
    const older = new Date(Date.now() - 120 * DAY).toISOString().slice(0, 10);
    expect(await search(`from:old@example.test subject:ancient before:${old} after:${older}`)).toEqual([
      'Ancient report',
    ]);
    expect(await search(`quokka -ancient`)).toEqual([]);
    expect(await search(`zebra5`)).toEqual(['Plain 5']);
    const folders = (await agent.resource('mailFolders').list()).body.data as Array<{ id: number; role: string }>;
    expect(await search('quokka', folders.find((f) => f.role === 'archive')!.id)).toEqual([]);
    expect(await search('quokka', folders.find((f) => f.role === 'inbox')!.id)).toEqual(['Ancient report']);
  });

  it('leaves a stored message outside the window to be indexed when opened', async () => {
    await agent.resource('mailAccounts').sync({ filterByTk: accountId });
    await caughtUp('a run after the search stored an old message', 55);
    expect(await row('Ancient report')).toMatchObject({ indexedText: null, textIndexedAt: null });
    const opened = await agent.resource('mailMessages').get({ filterByTk: (await row('Ancient report')).id });
    expect(opened.status).toBe(200);
    expect(await row('Ancient report')).toMatchObject({ indexedText: 'Ancient body with the word quokka.' });
    expect(batches.at(-1)).toEqual({
      accountId,
      ids: [Number((await row('Ancient report')).id)],
      change: { kind: 'indexedText' },
    });
  });

  it('a query the server cannot run is a 400 that says why; an account that is not yours a 404', async () => {
    const bad = await agent.resource('mailMessages').serverSearch({ values: { accountId, query: 'after:soon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/after:2024-05-01 \(year-month-day\)/);
    const attachments = await agent
      .resource('mailMessages')
      .serverSearch({ values: { accountId, query: 'quokka has:attachment' } });
    expect(attachments.status).toBe(400);
    expect(attachments.body.errors[0].message).toMatch(/cannot search for attachments/);
    const empty = await agent.resource('mailMessages').serverSearch({ values: { accountId, query: '' } });
    expect(empty.status).toBe(400);
    const other = await connectedUser(app);
    const foreign = await other.agent.resource('mailMessages').serverSearch({ values: { accountId, query: 'quokka' } });
    expect(foreign.status).toBe(404);
  });
});

describe('the text indexer after a restart', () => {
  let app: MockServer;
  let agent: Agent;
  let email: string;
  let accountId: number;

  beforeAll(async () => {
    // The sessions' own indexer is off: each indexer below stands for one run of the app.
    ({ app } = await readingApp('outlook', { textIndex: { enabled: false } }, { syncIntervalMinutes: 60 }));
    email = newMailboxAddress('resume');
    await seed(
      email,
      'INBOX',
      Array.from({ length: 5 }, (_, i) => ({ subject: `Resume ${i}`, text: `Resume body ${i}.` })),
      'outlook',
    );
    ({ agent, accountId } = await connectedUser(app, email));
    await waitFor(async () => (await status(agent)).lastSyncAt, { what: 'the first sync' });
  }, 120_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('indexes nothing when turned off', async () => {
    const rows = await rowsOf(app, accountId);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.indexedText === null && r.textIndexedAt === null)).toBe(true);
  });

  it('goes on where the last run stopped, fetching nothing twice', async () => {
    const reading = getMailReading(app);
    const told: number[][] = [];
    reading.events.on('messagesChanged', (e) => void told.push(e.ids));
    const indexer = () =>
      new TextIndexer({
        store: new TextIndexStore(app.db, reading.events),
        folders: reading.folders,
        states: reading.states,
        userBusy: () => false,
        options: { batchSize: 2 },
      });
    const since = new Date(Date.now() - DAY);
    const changeSeq = (await status(agent)).changeSeq;
    const client = await otherClient(email, 'outlook');
    try {
      expect(await indexer().batch(client, accountId, since)).toBe(true);
      const first = (await rowsOf(app, accountId)).filter((r) => r.textIndexedAt !== null);
      expect(first).toHaveLength(2);
      // The newest first.
      expect(first.map((r) => r.subject).sort()).toEqual(['Resume 3', 'Resume 4']);

      const next = indexer();
      while (await next.batch(client, accountId, since));
      const rows = await rowsOf(app, accountId);
      expect(rows.every((r) => r.indexedText === `Resume body ${r.subject.slice(-1)}.`)).toBe(true);
      for (const r of first)
        expect(new Date(rows.find((x) => x.id === r.id)!.textIndexedAt!).getTime()).toBe(
          new Date(r.textIndexedAt!).getTime(),
        );
      const ids = told.flat();
      expect(ids.sort()).toEqual(rows.map((r) => Number(r.id)).sort());
      // Nothing a client shows changed: the list's "reload" signal stays where it was.
      expect((await status(agent)).changeSeq).toBe(changeSeq);
    } finally {
      await client.logout().catch(() => client.close());
    }
  });
});
