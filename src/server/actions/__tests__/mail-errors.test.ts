import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TimeoutError } from 'sequelize';
import sqlite3 from 'sqlite3';
import type { Context } from '@nocobase/actions';
import { mailErrors } from '../mail-errors';

/** A real SQLITE_BUSY from the driver: one connection holds the file exclusively, another will not wait. */
async function sqliteBusyError(): Promise<Error> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailbridge-busy-'));
  const file = path.join(dir, 'db.sqlite');
  const open = () => new sqlite3.Database(file);
  const exec = (db: sqlite3.Database, sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
  const holder = open();
  const other = open();
  try {
    await exec(holder, 'CREATE TABLE t (n INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    other.configure('busyTimeout', 0);
    return await exec(other, 'INSERT INTO t VALUES (2)').then(
      () => {
        throw new Error('expected SQLITE_BUSY');
      },
      (err: Error) => err,
    );
  } finally {
    await exec(holder, 'ROLLBACK');
    await Promise.all([holder, other].map((db) => new Promise((r) => db.close(r))));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fakeContext() {
  const headers: Record<string, string> = {};
  return {
    headers,
    ctx: {
      set: (name: string, value: string) => {
        headers[name.toLowerCase()] = value;
      },
    } as unknown as Context & { status: number; body: unknown },
  };
}

describe('mailErrors', () => {
  it('answers a database that stays busy with 503 "try again" and Retry-After, never the driver text', async () => {
    // What Sequelize's SQLite dialect throws for SQLITE_BUSY once its retries are spent.
    const busy = new TimeoutError((await sqliteBusyError()) as never);
    const { ctx, headers } = fakeContext();
    await mailErrors('user')(ctx, async () => {
      throw busy;
    });
    expect(ctx.status).toBe(503);
    expect(headers['retry-after']).toMatch(/^\d+$/);
    expect(ctx.body).toEqual({
      errors: [{ message: expect.stringMatching(/busy.*try again/i), code: expect.any(String) }],
    });
    expect(JSON.stringify(ctx.body)).not.toMatch(/SQLITE/);
  });

  it('leaves other errors to NocoBase', async () => {
    const { ctx } = fakeContext();
    await expect(
      mailErrors('user')(ctx, async () => {
        throw new Error('other');
      }),
    ).rejects.toThrow('other');
  });
});
