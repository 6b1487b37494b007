/**
 * Search against a real app and mail stack (Dovecot, the identity stand-in), on SQLite or PostgreSQL: each part of
 * the query language, Czech, Polish and German words typed without diacritics, a word only in the body text, and
 * an index that stays exact (no ghost, nothing missing) through a move, deletes, an expunge elsewhere, a folder
 * rebuild and a disconnect.
 */
import { Op } from '@nocobase/database';
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailFolderView, MailMessageListItem } from '../../../shared/mail-reading-types';
import { getMailReading } from '../../sync/register';
import { connectedUser, otherClient, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';
import { searchTables } from '../search-tables';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

describe('search', () => {
  let app: MockServer;
  let agent: Agent;
  let accountId: number;
  let email: string;
  let other: ImapFlow;
  let folders: MailFolderView[];

  const folder = (role: string) => folders.find((f) => f.role === role) as MailFolderView;
  const search = async (q: string, params: Record<string, unknown> = {}) => {
    const res = await agent.resource('mailMessages').list({ q, pageSize: 200, ...params });
    expect(res.status).toBe(200);
    return res.body.data as MailMessageListItem[];
  };
  const subjects = async (q: string) => (await search(q)).map((m) => m.subject);
  const sync = async () =>
    expect((await agent.resource('mailAccounts').sync({ filterByTk: accountId })).status).toBe(200);
  const row = async (subject: string) => (await search(`subject:"${subject}"`)).find((m) => m.subject === subject)!;
  /** Message ids the index holds, and the ids of the messages stored: equal when the index is exact. */
  const indexAndMessages = async () => {
    await getMailReading(app).search.settled();
    const t = searchTables(app.db);
    const idColumn = app.db.sequelize.getDialect() === 'sqlite' ? 'rowid' : 'id';
    const [indexed] = await app.db.sequelize.query(`SELECT ${idColumn} AS id FROM ${t.search}`);
    const [stored] = await app.db.sequelize.query(`SELECT ${t.id} AS id FROM ${t.messages}`);
    const ids = (rows: unknown[]) => (rows as { id: number | string }[]).map((r) => Number(r.id)).sort((a, b) => a - b);
    return { indexed: ids(indexed), stored: ids(stored) };
  };
  const expectExact = async () => {
    const { indexed, stored } = await indexAndMessages();
    expect(indexed).toEqual(stored);
  };

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    email = `search-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [
      {
        subject: 'Přílohy k žádosti',
        from: 'Jan Novák <jan.novak@firma.example>',
        text: 'Posílám přílohy.',
        date: new Date(Date.now() - 10 * DAY),
      },
      {
        subject: 'Żółw w ogrodzie',
        from: 'Anna Wiśniewska <anna@ogrod.example>',
        to: 'Reader <reader@example.test>',
        cc: 'Carol Cc <carol@example.test>',
        text: 'Zobacz tego żółwia',
        date: new Date(Date.now() - 5 * DAY),
      },
      {
        subject: 'Die Straße',
        from: 'Max <max@strasse.example>',
        text: 'Rechnung anbei',
        attachments: [{ filename: 'Rechnung-März.pdf', content: '%PDF-1.4 test', contentType: 'application/pdf' }],
        date: new Date(Date.now() - 3 * DAY),
      },
      {
        subject: 'Quarterly numbers',
        from: 'Bob <bob@example.test>',
        text: 'Revenue is up this quarter.',
        flags: ['\\Flagged', '\\Seen'],
        date: new Date(Date.now() - 2 * DAY),
      },
      { subject: 'Numbers, quarterly draft', from: 'Bob <bob@example.test>', text: 'A draft.', date: new Date() },
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

  it('finds Czech, Polish and German words typed without diacritics, in any case', async () => {
    expect(await subjects('prilohy')).toEqual(['Přílohy k žádosti']);
    expect(await subjects('ZOLW')).toEqual(['Żółw w ogrodzie']);
    expect(await subjects('strasse')).toEqual(['Die Straße']);
    expect(await subjects('Straße')).toEqual(['Die Straße']);
    expect(await subjects('wisniewska')).toEqual(['Żółw w ogrodzie']);
  });

  it('gives another list of messages the same search as one condition (conditions)', async () => {
    const search = getMailReading(app).search;
    const where = await search.conditions('prilohy from:novak');
    const rows = await app.db
      .getModel('mailMessages')
      .findAll({ where: { [Op.and]: [{ accountId }, where!] }, attributes: ['subject'], raw: true });
    expect(rows).toEqual([{ subject: 'Přílohy k žádosti' }]);
    expect(await search.conditions('  ')).toBeUndefined();
    await expect(search.conditions('"open')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reads a scoped search led by its matches or in the list order alike: same rows, same order, same count', async () => {
    const search = getMailReading(app).search;
    const sqlite = app.db.sequelize.getDialect() === 'sqlite';
    expect(await search.lead(search.parse('quarterly'))).toBe(sqlite ? 'matches' : undefined);
    expect(await search.lead(search.parse('-quarterly is:unread'))).toBeUndefined();
    const model = app.db.getModel('mailMessages');
    const read = async (q: string, lead: 'matches' | 'list') => {
      const query = search.parse(q);
      const where = {
        [Op.and]: [
          search.scope('folderId', [Number(folder('inbox').id)], lead),
          search.scope('accountId', [accountId], lead),
          ...(await search.where(query, lead)),
        ],
      };
      const rows = await model.findAll({
        where,
        attributes: ['subject'],
        order: [
          ['date', 'DESC'],
          ['id', 'DESC'],
        ],
        raw: true,
      });
      return {
        subjects: rows.map((r) => (r as unknown as { subject: string }).subject),
        count: await model.count({ where }),
      };
    };
    for (const q of ['quarterly', 'numbers -draft', 'from:bob', '"quarterly numbers"'])
      expect(await read(q, 'list')).toEqual(await read(q, 'matches'));
    expect(await read('quarterly', 'list')).toEqual({
      subjects: ['Numbers, quarterly draft', 'Quarterly numbers'],
      count: 2,
    });
  });

  it('needs every word, in any order, the last as a prefix; a phrase in its order', async () => {
    expect(await subjects('numbers quarterly')).toEqual(['Numbers, quarterly draft', 'Quarterly numbers']);
    expect(await subjects('quarterly numb')).toEqual(['Numbers, quarterly draft', 'Quarterly numbers']);
    expect(await subjects('numb quarterly')).toEqual([]);
    expect(await subjects('"quarterly numbers"')).toEqual(['Quarterly numbers']);
    expect(await subjects('quarterly -draft')).toEqual(['Quarterly numbers']);
  });

  it('searches the snippet, the addresses and the attachment names', async () => {
    expect(await subjects('revenue')).toEqual(['Quarterly numbers']);
    expect(await subjects('firma')).toEqual(['Přílohy k žádosti']);
    expect(await subjects('marz')).toEqual(['Die Straße']);
  });

  it('from:, to:, cc: and subject: look in their own field', async () => {
    expect(await subjects('from:novak')).toEqual(['Přílohy k žádosti']);
    expect(await subjects('from:"Jan Novák"')).toEqual(['Přílohy k žádosti']);
    expect(await subjects('from:jan.novak@firma.example')).toEqual(['Přílohy k žádosti']);
    expect(await subjects('to:carol')).toEqual([]);
    expect(await subjects('cc:carol')).toEqual(['Żółw w ogrodzie']);
    expect(await subjects('to:reader cc:carol')).toEqual(['Żółw w ogrodzie']);
    expect(await subjects('subject:strasse')).toEqual(['Die Straße']);
    expect(await subjects('subject:max')).toEqual([]);
    expect(await subjects('-from:bob subject:quarterly')).toEqual([]);
  });

  it('is:, has:, before: and after: filter on the message', async () => {
    expect(await subjects('is:flagged')).toEqual(['Quarterly numbers']);
    expect(await subjects('quarterly is:unread')).toEqual(['Numbers, quarterly draft']);
    expect(await subjects('quarterly is:read')).toEqual(['Quarterly numbers']);
    expect(await subjects('has:attachment')).toEqual(['Die Straße']);
    expect(await subjects(`after:${day(-4)} before:${day(-1)}`)).toEqual(['Quarterly numbers', 'Die Straße']);
    expect(await subjects(`before:${day(-7)}`)).toEqual(['Přílohy k žádosti']);
  });

  it('returns where the words are in subject and snippet, as ranges of the original text', async () => {
    const [hit] = await search('prilohy');
    const marked = (text: string, ranges: Array<[number, number]>) => ranges.map(([a, b]) => text.slice(a, b));
    expect(marked(hit.subject, hit.highlights!.subject)).toEqual(['Přílohy']);
    expect(marked(hit.snippet, hit.highlights!.snippet)).toEqual(['přílohy']);
    const threads = await search('prilohy', { threads: true });
    expect(marked(threads[0].subject, threads[0].highlights!.subject)).toEqual(['Přílohy']);
  });

  it.each([
    ['"unclosed', /quote is not closed/],
    ['from: novak', /"from:" needs a value/],
    ['before:2024-02-30', /not a date/],
    ['is:urgent', /is:unread/],
  ])('refuses %s with 400 and what to fix', async (q, message) => {
    const res = await agent.resource('mailMessages').list({ q });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(message);
  });

  it('finds a word of the body text once the text is indexed, and not before', async () => {
    expect(await subjects('xylofon')).toEqual([]);
    const { id } = await row('Die Straße');
    await app.db
      .getModel('mailMessages')
      .update(
        { indexedText: 'Bitte das Xylofon bis Freitag zurückgeben.', textIndexedAt: new Date() },
        { where: { id }, hooks: false },
      );
    expect(await subjects('xylofon')).toEqual([]);
    await getMailReading(app).events.emit('messagesChanged', {
      accountId,
      ids: [Number(id)],
      change: { kind: 'indexedText' },
    });
    expect(await subjects('xylofon')).toEqual(['Die Straße']);
    expect(await subjects('zuruckgeben')).toEqual(['Die Straße']);
  });

  it('stays exact as mail is read, moved, deleted, expunged elsewhere and rebuilt', async () => {
    await expectExact();
    const quarterly = await row('Quarterly numbers');
    await agent.resource('mailMessages').markUnread({ filterByTk: quarterly.id });
    expect((await search('"quarterly numbers"')).map((m) => m.read)).toEqual([false]);

    await agent.resource('mailMessages').move({ filterByTk: quarterly.id, values: { folderId: folder('archive').id } });
    expect((await search('"quarterly numbers"')).map((m) => m.folderId)).toEqual([folder('archive').id]);
    await expectExact();

    // Delete: to the trash (found there), then for good (found nowhere).
    const draft = await row('Numbers, quarterly draft');
    await agent.resource('mailMessages').delete({ filterByTk: draft.id });
    const trashed = await row('Numbers, quarterly draft');
    expect(trashed.folderId).toBe(folder('trash').id);
    await agent.resource('mailMessages').delete({ filterByTk: trashed.id });
    expect(await subjects('draft')).toEqual([]);
    await expectExact();

    // Expunged by another client: gone after the next sync.
    const lock = await other.getMailboxLock('INBOX');
    try {
      const uids = await other.search({ subject: 'ogrodzie' }, { uid: true });
      await other.messageDelete(uids as number[], { uid: true });
    } finally {
      lock.release();
    }
    await sync();
    expect(await subjects('zolw')).toEqual([]);
    await expectExact();

    // A UIDVALIDITY change forgets the folder's copy, then the sync brings it back.
    await getMailReading(app).messages.clearFolder(Number(folder('inbox').id));
    expect(await subjects('prilohy')).toEqual([]);
    await expectExact();
  });

  it('a disconnect takes the account out of the index', async () => {
    expect((await agent.resource('mailAccounts').disconnect({ filterByTk: accountId })).status).toBe(200);
    const { indexed, stored } = await indexAndMessages();
    expect(stored).toEqual([]);
    expect(indexed).toEqual([]);
  });
});
