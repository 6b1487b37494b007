/**
 * On a file-backed SQLite database one connection writes at a time, and NocoBase opens a connection per
 * transaction. A user's action must wait its turn while other writers work (a sync, NocoBase's own writes, another
 * process), never fail with a 500 "SQLITE_BUSY: database is locked".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { createMockDatabase, Database } from '@nocobase/database';
import type { MockServer } from '@nocobase/test';
import { Agent, configureStandIn, createMailApp, userAgent } from '../../../../test/helpers/mail-app';
import { makeSqliteWritersWait } from '../sqlite-busy';
import { inTransaction } from '../transaction';

const onSqlite = (process.env.DB_DIALECT ?? 'sqlite') === 'sqlite';

/**
 * Another writer on the same file: until stopped, it takes the write lock (BEGIN IMMEDIATE), writes, keeps the
 * lock for `holdMs`, commits, and pauses briefly: the database is busy most of the time, as under load.
 */
function busyWriter(file: string, holdMs: number) {
  const db = new sqlite3.Database(file);
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let running = true;
  let commits = 0;
  const done = (async () => {
    await exec('CREATE TABLE IF NOT EXISTS busy_writer (n INTEGER)');
    while (running) {
      try {
        await exec('BEGIN IMMEDIATE');
        await exec(`INSERT INTO busy_writer VALUES (${commits})`);
        await sleep(holdMs);
        await exec('COMMIT');
        commits += 1;
      } catch {
        await exec('ROLLBACK').catch(() => undefined);
      }
      await sleep(5);
    }
    await new Promise((resolve) => db.close(resolve));
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return commits;
    },
  };
}

(onSqlite ? describe : describe.skip)('SQLite busy: actions wait for other writers', () => {
  let dir: string;
  let app: MockServer;
  let member: Agent;
  const saved = process.env.DB_STORAGE;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-busy-'));
    process.env.DB_STORAGE = path.join(dir, 'app.sqlite');
    ({ app } = await createMailApp());
    const admin = (await userAgent(app, 'admin')).agent;
    await configureStandIn(app, admin);
    member = (await userAgent(app)).agent;
  });

  afterAll(async () => {
    await app?.destroy();
    if (saved === undefined) delete process.env.DB_STORAGE;
    else process.env.DB_STORAGE = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('mailAccounts:connect answers 200 each time while another connection keeps writing', async () => {
    const states = app.db.getRepository('mailOAuthStates');
    const writer = busyWriter(process.env.DB_STORAGE!, 60);
    const statuses: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        // An expired sign-in to sweep: connect then reads and deletes in one transaction, the shape that SQLite
        // refuses at once (no waiting) when another connection took the write lock in between.
        await states.create({
          values: {
            stateHash: `expired-${i}-${Date.now()}`,
            userId: 1,
            provider: 'microsoft',
            browserHash: 'x',
            codeVerifier: 'x',
            nonce: 'x',
            redirectUri: 'x',
            expiresAt: new Date(Date.now() - 24 * 3600_000),
          },
        });
        const res = await member.resource('mailAccounts').connect();
        statuses.push(res.status);
        if (res.status !== 200) console.warn(JSON.stringify(res.body));
      }
    } finally {
      expect(await writer.stop()).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  }, 120_000);
});

(onSqlite ? describe : describe.skip)('SQLite busy: a transaction that reads, then writes', () => {
  let dir: string;
  let db: Database;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-busy-'));
    db = await createMockDatabase({ dialect: 'sqlite', storage: path.join(dir, 'db.sqlite') });
    db.collection({ name: 'notes', fields: [{ type: 'string', name: 'text' }] });
    await db.sync();
    makeSqliteWritersWait(db);
  });

  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a writer that came in between instead of failing (the sync engine writes this way)', async () => {
    const notes = db.getRepository('notes');
    const other = new sqlite3.Database(path.join(dir, 'db.sqlite'));
    const exec = (sql: string) =>
      new Promise<void>((resolve, reject) => other.exec(sql, (err) => (err ? reject(err) : resolve())));
    let otherWrite: Promise<void> | undefined;
    let failure: string | undefined;
    try {
      failure = await inTransaction(db, async (transaction) => {
        await notes.count({ transaction });
        // Another connection writes now, and commits a little later.
        otherWrite = exec(
          "BEGIN IMMEDIATE; INSERT INTO notes (text, createdAt, updatedAt) VALUES ('other', datetime(), datetime())",
        )
          .then(() => new Promise((r) => setTimeout(r, 300)))
          .then(() => exec('COMMIT'));
        await new Promise((r) => setTimeout(r, 100));
        await notes.create({ values: { text: 'mine' }, transaction });
      }).then(
        () => undefined,
        (err) => `${err.name}: ${err.parent?.code ?? err.message}`,
      );
      await otherWrite;
    } finally {
      await new Promise((r) => other.close(r));
    }
    expect(failure).toBeUndefined();
    expect((await notes.find()).map((n: { get(k: string): unknown }) => n.get('text')).sort()).toEqual([
      'mine',
      'other',
    ]);
  });
});
