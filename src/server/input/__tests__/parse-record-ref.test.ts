import type { Collection } from '@nocobase/database';
import { collectionNameFrom, keyFitsField, recordKeyFrom } from '../parse-record-ref';

describe('record references from requests', () => {
  it('takes collection names NocoBase gives collections', () => {
    for (const name of ['customers', 'deal_stages', 't_a1b2c3', 'my-things'])
      expect(collectionNameFrom(name)).toBe(name);
  });

  it('refuses a dotted, empty or non-text collection name with a 400', () => {
    for (const raw of ['1.5', 'main.users', 'users.roles', '', '  ', 'a\u0000b', 1.5, ['users'], null]) {
      expect(() => collectionNameFrom(raw)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('takes numbers and short texts as record keys', () => {
    expect(recordKeyFrom(7, 'filterByTk')).toBe(7);
    expect(recordKeyFrom('b7f1c2e0-1', 'filterByTk')).toBe('b7f1c2e0-1');
  });

  it('refuses a key with a control character, a long or non-scalar one, naming the field', () => {
    for (const raw of ['a\u0000b', 'line\nbreak', 'x'.repeat(256), { $ne: null }, [1], true, NaN, '', null]) {
      expect(() => recordKeyFrom(raw, 'recordKey')).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => recordKeyFrom('a\u0000b', 'recordKey')).toThrow(/recordKey must be a record key/);
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
