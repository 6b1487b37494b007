import { lowestUid } from '../folder-sync';

describe('lowestUid (where an Outlook-profile flags scan starts)', () => {
  it('finds the lowest stored UID of a folder with 300,000 messages (a spread into Math.min overflowed the stack from ~150,000)', () => {
    const stored = new Map<number, true>();
    for (let uid = 300_000; uid >= 7; uid--) stored.set(uid, true);
    expect(lowestUid(stored.keys())).toBe(7);
  });

  it('reads the UIDs in any order', () => {
    expect(lowestUid([42, 3, 99, 17])).toBe(3);
    expect(lowestUid(new Set([5]))).toBe(5);
  });
});
