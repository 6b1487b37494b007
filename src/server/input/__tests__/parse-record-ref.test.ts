import { collectionNameFrom, recordKeyFrom } from '../parse-record-ref';

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
