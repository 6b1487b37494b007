import type { Collection, Model } from '@nocobase/database';
import { collectionTitleOf, recordKeyOf } from '../record-ref';

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
