import { chunkSequenceSets, growingBatches, toSequenceSet } from '../uid-set';

describe('UID sets', () => {
  it('compresses runs into ranges, in any order, without duplicates or invalid UIDs', () => {
    expect(toSequenceSet([10, 1, 2, 3, 7, 9, 3, 0, -4, 1.5])).toBe('1:3,7,9:10');
    expect(toSequenceSet([])).toBe('');
  });

  it('splits long sets at range boundaries under the length limit', () => {
    const uids = Array.from({ length: 3000 }, (_, i) => i * 2 + 1);
    const sets = chunkSequenceSets(uids, 1000);
    expect(sets.every((s) => s.length <= 1000)).toBe(true);
    expect(sets.join(',').split(',').map(Number)).toEqual(uids);
  });
});

describe('growingBatches', () => {
  it('starts small and doubles up to the largest batch, keeping every item once and in order', () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    const out = growingBatches(items, 100, 1000);
    expect(out.map((b) => b.length)).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 500]);
    expect(out.flat()).toEqual(items);
  });

  it('never exceeds the largest batch, even when it is below the first', () => {
    expect(growingBatches([1, 2, 3, 4, 5], 100, 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(growingBatches([], 100, 1000)).toEqual([]);
  });
});
