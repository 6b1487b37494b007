import { parseFileRefs } from '../record-files';

describe('the files "Send email" is given', () => {
  it.each<[unknown, Array<{ id: number; filename: string | null }>]>([
    [undefined, []],
    [null, []],
    ['', []],
    [[], []],
    [7, [{ id: 7, filename: null }]],
    [
      '3, 4',
      [
        { id: 3, filename: null },
        { id: 4, filename: null },
      ],
    ],
    [{ id: 5, filename: 'a-x1.pdf', title: 'a' }, [{ id: 5, filename: 'a-x1.pdf' }]],
    [
      [[{ id: '5', filename: 'a.pdf' }], 6, null],
      [
        { id: 5, filename: 'a.pdf' },
        { id: 6, filename: null },
      ],
    ],
  ])('%j', (raw, expected) => {
    expect(parseFileRefs(raw)).toEqual(expected);
  });

  it.each([['invoice.pdf'], [{ title: 'no id' }], [-1], [1.5], [true]])(
    '%j is refused, saying what is expected',
    (raw) => {
      expect(() => parseFileRefs(raw)).toThrow(
        'Attachments must be file records of the file manager (an attachment field), or their ids.',
      );
    },
  );
});
