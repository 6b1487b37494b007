import { createMockDatabase, Database } from '@nocobase/database';
import { inTransaction } from '../transaction';

describe('inTransaction', () => {
  let db: Database;

  beforeEach(async () => {
    db = await createMockDatabase();
    await db.clean({ drop: true });
    db.collection({ name: 'notes', fields: [{ type: 'string', name: 'text' }] });
    await db.sync();
  });

  afterEach(async () => {
    await db.close();
  });

  it('lets many overlapping transactions all commit', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      inTransaction(db, async (transaction) => {
        await db.getRepository('notes').create({ values: { text: `a${i}` }, transaction });
        await new Promise((r) => setTimeout(r, 5));
        await db.getRepository('notes').create({ values: { text: `b${i}` }, transaction });
      }),
    );
    await Promise.all(writes);
    expect(await db.getRepository('notes').count()).toBe(40);
  });

  it('rolls a failed transaction back whole and lets the next one run', async () => {
    const failed = inTransaction(db, async (transaction) => {
      await db.getRepository('notes').create({ values: { text: 'lost' }, transaction });
      throw new Error('boom');
    });
    const next = inTransaction(db, (transaction) =>
      db.getRepository('notes').create({ values: { text: 'kept' }, transaction }),
    );
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(
      (await db.getRepository('notes').find()).map((note: { get(key: string): unknown }) => note.get('text')),
    ).toEqual(['kept']);
  });
});
