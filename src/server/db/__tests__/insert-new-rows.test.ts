import { createMockDatabase, Database } from '@nocobase/database';
import { insertNewRows } from '../insert-new-rows';

const fields = [
  { type: 'string', name: 'key', unique: true },
  { type: 'bigInt', name: 'uid' },
  { type: 'boolean', name: 'seen' },
  { type: 'json', name: 'people' },
  { type: 'date', name: 'receivedAt' },
  { type: 'text', name: 'note' },
];

const rows = [
  {
    key: 'a',
    uid: 4_000_000_000,
    seen: true,
    people: [{ name: 'Zoë', address: 'z@example.test' }],
    receivedAt: new Date('2024-02-29T23:59:59.123Z'),
    note: 'it\'s "quoted" $1 ?',
  },
  { key: 'b', uid: 2, seen: false, people: [], receivedAt: new Date('1999-12-31T00:00:00.000Z'), note: null },
  { key: 'c', uid: 3, seen: false, people: null, receivedAt: null, note: '\u05e9\u05dc\u05d5\u05dd 😀' },
];

describe('insertNewRows', () => {
  let db: Database;

  beforeEach(async () => {
    db = await createMockDatabase();
    await db.clean({ drop: true });
    for (const name of ['viaModel', 'viaInsert']) {
      db.collection({ name, createdAt: true, updatedAt: true, fields } as never);
    }
    await db.sync();
  });

  afterEach(async () => {
    await db.close();
  });

  /** The columns exactly as the database holds them, without ids and timestamps. */
  async function stored(collection: string): Promise<Record<string, unknown>[]> {
    const model = db.getModel(collection);
    const table = (
      db.sequelize.getQueryInterface() as unknown as { queryGenerator: { quoteTable(t: unknown): string } }
    ).queryGenerator.quoteTable(model.getTableName());
    const [raw] = await db.sequelize.query(`SELECT * FROM ${table}`);
    const skip = new Set(['id', 'createdAt', 'updatedAt', 'created_at', 'updated_at']);
    return (raw as Record<string, unknown>[])
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !skip.has(k))))
      .sort((x, y) => String(x.key).localeCompare(String(y.key)));
  }

  it('stores values exactly as bulkCreate does, so sorting and filters see no difference', async () => {
    await db.getModel('viaModel').bulkCreate(rows as never[], { hooks: false, validate: false });
    await insertNewRows(db.getModel('viaInsert'), rows);
    expect(await stored('viaInsert')).toEqual(await stored('viaModel'));

    const read = (await db
      .getRepository('viaInsert')
      .find({ sort: ['receivedAt'], filter: { receivedAt: { $gt: '2000-01-01T00:00:00Z' } } })) as Array<{
      toJSON(): Record<string, unknown>;
    }>;
    expect(read.map((r) => r.toJSON())).toEqual([
      expect.objectContaining({ key: 'a', uid: 4_000_000_000, seen: true, people: rows[0].people, note: rows[0].note }),
    ]);
    expect(new Date(read[0].toJSON().receivedAt as string).toISOString()).toBe('2024-02-29T23:59:59.123Z');
  });

  it('fills createdAt and updatedAt', async () => {
    const before = Date.now();
    await insertNewRows(db.getModel('viaInsert'), rows.slice(0, 1));
    const row = (await db.getRepository('viaInsert').findOne()) as { get(k: string): unknown };
    for (const name of ['createdAt', 'updatedAt']) {
      const at = new Date(row.get(name) as string).getTime();
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });

  it('leaves rows that clash with a unique index as they are and stores the rest', async () => {
    await insertNewRows(db.getModel('viaInsert'), rows.slice(0, 2));
    await insertNewRows(db.getModel('viaInsert'), [{ ...rows[0], note: 'changed' }, rows[2]]);
    const all = (await stored('viaInsert')).map((r) => [r.key, r.note]);
    expect(all).toEqual([
      ['a', rows[0].note],
      ['b', null],
      ['c', rows[2].note],
    ]);
  });

  it('stores a statement-sized batch in one go', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...rows[0], key: `k${i}`, uid: i + 1 }));
    await insertNewRows(db.getModel('viaInsert'), many);
    expect(await db.getRepository('viaInsert').count()).toBe(500);
  });
});
