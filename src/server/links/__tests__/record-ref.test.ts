import type { Collection, Model } from '@nocobase/database';
import { collectionTitleOf, keyFitsField, recordKeyOf } from '../record-ref';

/** The parts of a collection these functions read. */
function collection(options: { title?: string; filterTargetKey?: string | string[]; primaryKey?: string }): Collection {
  return {
    name: 'deals',
    options: { title: options.title },
    filterTargetKey: options.filterTargetKey,
    model: { primaryKeyAttribute: options.primaryKey },
  } as unknown as Collection;
}

const record = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] }) as unknown as Model;

describe('collectionTitleOf', () => {
  it.each([
    ['Deals', 'Deals'],
    ['{{t("Users")}}', 'Users'],
    ["{{ t('Roles') }}", 'Roles'],
    ['', 'deals'],
    [undefined, 'deals'],
  ])('%s → %s', (title, expected) => {
    expect(collectionTitleOf(collection({ title }))).toBe(expected);
  });
});

describe('recordKeyOf', () => {
  it('reads the filterTargetKey first, then the primary key, as a string', () => {
    expect(recordKeyOf(collection({ filterTargetKey: 'code', primaryKey: 'id' }), record({ id: 7, code: 'D-1' }))).toBe(
      'D-1',
    );
    expect(recordKeyOf(collection({ primaryKey: 'id' }), record({ id: 7 }))).toBe('7');
    expect(recordKeyOf(collection({ filterTargetKey: ['a', 'b'], primaryKey: 'id' }), record({ id: 8 }))).toBe('8');
  });

  it('has no key for a collection without one, or a record without a value', () => {
    expect(recordKeyOf(collection({}), record({ id: 7 }))).toBeUndefined();
    expect(recordKeyOf(collection({ primaryKey: 'id' }), record({}))).toBeUndefined();
  });
});

describe('keyFitsField', () => {
  const keyed = (type: string) =>
    ({ model: { rawAttributes: { id: { type: { key: type } } } } }) as unknown as Collection;

  it('an integer key field takes digits within 64 bits only', () => {
    for (const key of [7, '7', '-3', '9223372036854775807'])
      expect(keyFitsField(keyed('BIGINT'), 'id', key)).toBe(true);
    for (const key of ['abc', "1' OR '1'='1", '1.5', '9223372036854775808', '9'.repeat(40), 'NaN', ''])
      expect(keyFitsField(keyed('BIGINT'), 'id', key)).toBe(false);
  });

  it('a UUID key field takes UUIDs only; a text key field takes any text', () => {
    expect(keyFitsField(keyed('UUID'), 'id', '0b6f5a9e-2c1d-4e8f-9a7b-3c2d1e0f9a8b')).toBe(true);
    expect(keyFitsField(keyed('UUID'), 'id', 'not-a-uuid')).toBe(false);
    expect(keyFitsField(keyed('STRING'), 'id', 'anything at all')).toBe(true);
  });
});
