import { firstFew } from '../format';

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ name: '', address: `r${i}@example.org` }));

describe('firstFew', () => {
  it('shows the first few recipients and counts the rest from the total, beyond the list the message carried', () => {
    const { shown, more } = firstFew(people(500), 10_000);
    expect(shown.map((a) => a.address)).toEqual([
      'r0@example.org',
      'r1@example.org',
      'r2@example.org',
      'r3@example.org',
      'r4@example.org',
    ]);
    expect(more).toBe(9_995);
  });

  it('shows a short list whole, with nothing more', () => {
    expect(firstFew(people(3), 3)).toEqual({ shown: people(3), more: 0 });
    expect(firstFew([], 0)).toEqual({ shown: [], more: 0 });
  });

  it('never counts fewer than the list holds (a total missing from an older server)', () => {
    expect(firstFew(people(8), 0).more).toBe(3);
  });
});
