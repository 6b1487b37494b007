import { CountCache } from '../count-cache';

describe('CountCache', () => {
  const counter = (value: number) => {
    const calls = { n: 0 };
    return { calls, count: async () => (calls.n++, value) };
  };

  it('reuses a total while its change sequence is unchanged, and counts again once it moves', async () => {
    const cache = new CountCache();
    const a = counter(10);
    expect(await cache.get('inbox', '1:5', a.count)).toBe(10);
    expect(await cache.get('inbox', '1:5', a.count)).toBe(10);
    expect(a.calls.n).toBe(1);
    const b = counter(11);
    expect(await cache.get('inbox', '1:6', b.count)).toBe(11);
    expect(b.calls.n).toBe(1);
  });

  it('keeps totals of different lists apart', async () => {
    const cache = new CountCache();
    expect(await cache.get('inbox', '1:5', counter(10).count)).toBe(10);
    expect(await cache.get('inbox unread', '1:5', counter(3).count)).toBe(3);
    expect(await cache.get('inbox', '1:5', counter(99).count)).toBe(10);
  });

  it('forgets the least recently used total beyond its capacity', async () => {
    const cache = new CountCache(2);
    await cache.get('a', '1', counter(1).count);
    await cache.get('b', '1', counter(2).count);
    await cache.get('a', '1', counter(-1).count); // used again: b is now the oldest
    await cache.get('c', '1', counter(3).count);
    const b = counter(20);
    expect(await cache.get('b', '1', b.count)).toBe(20);
    expect(b.calls.n).toBe(1);
    expect(await cache.get('a', '1', counter(-1).count)).toBe(-1); // a was pushed out by b
  });

  it('does not remember a count that failed', async () => {
    const cache = new CountCache();
    await expect(cache.get('a', '1', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('a', '1', counter(7).count)).toBe(7);
  });
});
