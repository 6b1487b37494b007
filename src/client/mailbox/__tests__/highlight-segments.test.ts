import { highlightSegments } from '../highlight-segments';

describe('highlightSegments', () => {
  it('cuts the text at the ranges, marking the matches', () => {
    expect(highlightSegments('Přílohy k žádosti', [[0, 7]])).toEqual([
      { text: 'Přílohy', match: true },
      { text: ' k žádosti', match: false },
    ]);
    expect(highlightSegments('a bc d', [[2, 4]]).map((s) => s.text)).toEqual(['a ', 'bc', ' d']);
  });

  it('adds up to the text whatever the ranges: none, outside, overlapping, out of order', () => {
    const text = '<b>Quarterly</b> numbers';
    for (const ranges of [
      [],
      [[100, 200]],
      [
        [0, 5],
        [3, 9],
      ],
      [
        [10, 12],
        [0, 2],
      ],
      [[5, 2]],
    ] as Array<Array<[number, number]>>)
      expect(
        highlightSegments(text, ranges)
          .map((s) => s.text)
          .join(''),
      ).toBe(text);
  });
});
