/**
 * New mail on many mailboxes at once (push on a busy node): the stores' small per-arrival statements (the folder
 * and account checks around an insert, the Inbox's cursor and counts, the change counter) are shared by the
 * mailboxes whose calls meet, and each mailbox still gets exactly its own values.
 */
import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { getMailReading } from '../../sync/register';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION, SYNC_STATES_COLLECTION } from '../collection-names';
import { SUBJECT_KEY_PREFIX } from '../../messages/thread-key';
import { messageRecord } from './helpers/message-record';

jest.setTimeout(120_000);

const MAILBOXES = 12;

describe('new mail on many mailboxes at once', () => {
  let app: MockServer;
  let boxes: Array<{ accountId: number; folderId: number }>;
  /** SQL statements sent while `fn` ran (names quoted with " or `, as the dialect does). */
  let statements: string[] = [];

  async function counting<T>(fn: () => Promise<T>): Promise<T> {
    const sequelize = app.db.sequelize as unknown as { query: (sql: unknown, ...rest: unknown[]) => unknown };
    const query = sequelize.query;
    statements = [];
    sequelize.query = function (this: unknown, sql: unknown, ...rest: unknown[]) {
      statements.push(typeof sql === 'string' ? sql : String((sql as { query?: string })?.query ?? sql));
      return query.call(this, sql, ...rest);
    };
    try {
      return await fn();
    } finally {
      sequelize.query = query;
    }
  }
  const sent = (pattern: RegExp) => statements.filter((s) => pattern.test(s)).length;

  beforeAll(async () => {
    app = await createPluginApp();
    boxes = [];
    for (let i = 0; i < MAILBOXES; i++) {
      const user = await app.db
        .getRepository('users')
        .create({ values: { nickname: `u${i}`, email: `u${i}@nocobase.test` } });
      const account = await app.db
        .getModel(ACCOUNTS_COLLECTION)
        .create({ userId: user.get('id'), provider: 'microsoft', address: `u${i}@example.test` }, { hooks: false });
      const folder = await app.db
        .getModel(FOLDERS_COLLECTION)
        .create(
          { accountId: account.get('id'), path: 'INBOX', name: 'Inbox', role: 'inbox', uidNext: 1, serverMessages: 0 },
          { hooks: false },
        );
      boxes.push({ accountId: Number(account.get('id')), folderId: Number(folder.get('id')) });
      await getMailReading(app).states.ensure(Number(account.get('id')));
    }
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('stores each mailbox its own messages, checks them in shared statements, and says so per folder', async () => {
    const { messages, events } = getMailReading(app);
    const told: Array<[number, number[]]> = [];
    const off = events.on('messagesStored', (e) => {
      told.push([e.folderId, e.ids]);
    });
    try {
      await counting(() =>
        Promise.all(boxes.map((b, i) => messages.insert([messageRecord(b.accountId, b.folderId, 100 + i)]))),
      );
    } finally {
      off();
    }
    for (const [i, b] of boxes.entries()) {
      const rows = (await app.db
        .getModel('mailMessages')
        .findAll({ attributes: ['uid'], where: { folderId: b.folderId }, raw: true })) as unknown as Array<{
        uid: number;
      }>;
      expect(rows.map((r) => Number(r.uid))).toEqual([100 + i]);
      expect(told.filter(([folderId]) => folderId === b.folderId)).toHaveLength(1);
    }
    // The first call runs alone; the others, made meanwhile, share one insert: one statement of each kind, twice.
    expect(sent(/^INSERT.* INTO [`"]mailMessages[`"]/)).toBe(2);
    expect(sent(/^INSERT.* INTO [`"]mailParticipants[`"]/)).toBe(2);
    expect(sent(/^SELECT .* FROM [`"]mailFolders[`"]/)).toBe(2);
    expect(sent(/^SELECT .* FROM [`"]mailAccounts[`"]/)).toBe(2);
  });

  it('keeps threads within each mailbox when several share an insert', async () => {
    const { messages } = getMailReading(app);
    const [a, b] = boxes;
    const subjectThread = `${SUBJECT_KEY_PREFIX}budget`;
    const reply = (box: typeof a, uid: number) => ({
      ...messageRecord(box.accountId, box.folderId, uid),
      subject: 'Re: Budget',
      subjectKey: 'budget',
      threadKey: subjectThread,
    });
    const original = (box: typeof a, uid: number) => ({
      ...messageRecord(box.accountId, box.folderId, uid),
      subject: 'Budget',
      subjectKey: 'budget',
    });
    // Both mailboxes hold a reply that came before its original (threaded by subject for now).
    await Promise.all([messages.insert([reply(a, 500)]), messages.insert([reply(b, 500)])]);
    // Now A gets the original, and B a second subject-only reply, in one shared insert (a third call goes first).
    await Promise.all([
      messages.insert([messageRecord(boxes[2].accountId, boxes[2].folderId, 501)]),
      messages.insert([original(a, 501)]),
      messages.insert([reply(b, 502)]),
    ]);
    const threadOf = async (box: typeof a, uid: number) =>
      (
        (await app.db
          .getModel('mailMessages')
          .findOne({ attributes: ['threadKey'], where: { folderId: box.folderId, uid }, raw: true })) as unknown as {
          threadKey: string;
        }
      ).threadKey;
    const aOriginal = original(a, 501).threadKey;
    // A's reply joined A's original; B's replies stay in B's subject thread, not A's conversation.
    expect([await threadOf(a, 500), await threadOf(a, 501)]).toEqual([aOriginal, aOriginal]);
    expect([await threadOf(b, 500), await threadOf(b, 502)]).toEqual([subjectThread, subjectThread]);
    // With A's original stored, another subject-only reply to B, sharing an insert with A, still stays in B's.
    await Promise.all([
      messages.insert([messageRecord(boxes[2].accountId, boxes[2].folderId, 503)]),
      messages.insert([messageRecord(a.accountId, a.folderId, 503)]),
      messages.insert([reply(b, 503)]),
    ]);
    expect(await threadOf(b, 503)).toBe(subjectThread);
  });

  it('finds each mailbox its own Inbox in shared SELECTs', async () => {
    const { folders } = getMailReading(app);
    const found = await counting(() => Promise.all(boxes.map((b) => folders.inbox(b.accountId))));
    expect(found.map((f) => f?.id)).toEqual(boxes.map((b) => b.folderId));
    expect(sent(/^SELECT .* FROM [`"]mailFolders[`"]/)).toBeLessThanOrEqual(2);
    expect(await folders.inbox(999_999)).toBeNull();
  });

  it('writes each Inbox its own cursor and counts in shared UPDATEs; a folder twice in a batch adds up its unread', async () => {
    const { folders } = getMailReading(app);
    await counting(() =>
      Promise.all([
        ...boxes.map((b, i) => folders.saveArrivals(b.folderId, { uidNext: 200 + i, messages: 10 + i }, i % 3)),
        // The second mailbox again, in the same batch (the first call runs alone): its later cursor wins and its
        // unread adds to the first call's.
        folders.saveArrivals(boxes[1].folderId, { uidNext: 300, messages: 20 }, 2),
      ]),
    );
    const rows = (await app.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id', 'uidNext', 'serverMessages', 'totalCount', 'unreadCount'],
      where: { id: boxes.map((b) => b.folderId) },
      raw: true,
    })) as unknown as Array<Record<string, number | string>>;
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (const [i, b] of boxes.entries()) {
      const row = byId.get(b.folderId)!;
      const expected = i === 1 ? [300, 20, 20, 1 + 2] : [200 + i, 10 + i, 10 + i, i % 3];
      expect([row.uidNext, row.serverMessages, row.totalCount, row.unreadCount].map(Number)).toEqual(expected);
    }
    expect(sent(/^UPDATE [`"]mailFolders[`"]/)).toBeLessThanOrEqual(2);
  });

  it('moves every mailbox its change counter in shared UPDATEs, making the state row where there is none', async () => {
    const { states } = getMailReading(app);
    const model = app.db.getModel(SYNC_STATES_COLLECTION);
    // The first mailbox has no state row yet; the others have one.
    await model.destroy({ where: { accountId: boxes[0].accountId } });
    for (const b of boxes.slice(1)) await states.ensure(b.accountId);
    const seq = async () => {
      const rows = (await model.findAll({
        attributes: ['accountId', 'changeSeq'],
        where: { accountId: boxes.map((b) => b.accountId) },
        raw: true,
      })) as unknown as Array<{ accountId: number; changeSeq: number | string }>;
      return new Map(rows.map((r) => [Number(r.accountId), Number(r.changeSeq)]));
    };
    const before = await seq();
    await counting(() =>
      Promise.all([...boxes.map((b) => states.bumpChange(b.accountId)), states.bumpChange(999_999)]),
    );
    const after = await seq();
    for (const b of boxes) expect(after.get(b.accountId)! - (before.get(b.accountId) ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await model.count({ where: { accountId: 999_999 } })).toBe(0);
    expect(sent(/^UPDATE [`"]mailSyncStates[`"]/)).toBeLessThanOrEqual(4);
  });
});
