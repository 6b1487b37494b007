import type { LinkableCollection } from '../linkable-collections';
import { canMatch, hasNextPage, RECORD_PAGE_SIZE, recordListParams, recordOption } from '../record-options';

const deals: LinkableCollection = {
  name: 'deals',
  title: 'Deals',
  primaryKey: 'id',
  titleField: 'title',
  titleIsText: true,
};
const numbered: LinkableCollection = { ...deals, titleField: 'id', titleIsText: false };

describe('recordListParams', () => {
  it('asks for one page, sorted by key, without a filter when nothing is typed', () => {
    expect(recordListParams(deals, '  ', 2)).toEqual({ page: 2, pageSize: RECORD_PAGE_SIZE, sort: 'id' });
  });

  it('matches part of a text title', () => {
    expect(JSON.parse(recordListParams(deals, ' Acme ', 1).filter as string)).toEqual({
      title: { $includes: 'Acme' },
    });
  });

  it('matches a number field only by the whole number', () => {
    expect(JSON.parse(recordListParams(numbered, '42', 1).filter as string)).toEqual({ id: { $eq: 42 } });
    expect(canMatch(numbered, '42')).toBe(true);
    expect(canMatch(numbered, 'acme')).toBe(false);
    expect(canMatch(deals, 'acme')).toBe(true);
  });
});

describe('recordOption', () => {
  it('shows the title, or the key when the title is empty, and skips a row without a key', () => {
    expect(recordOption(deals, { id: 7, title: 'Acme renewal' })).toEqual({ value: '7', label: 'Acme renewal' });
    expect(recordOption(deals, { id: 8, title: '' })).toEqual({ value: '8', label: '8' });
    expect(recordOption(numbered, { id: 9 })).toEqual({ value: '9', label: '9' });
    expect(recordOption(deals, { title: 'no key' })).toBeNull();
  });
});

describe('hasNextPage', () => {
  it('pages on while records remain', () => {
    expect(hasNextPage(1, RECORD_PAGE_SIZE + 1)).toBe(true);
    expect(hasNextPage(1, RECORD_PAGE_SIZE)).toBe(false);
    expect(hasNextPage(2, RECORD_PAGE_SIZE * 2 + 5)).toBe(true);
  });
});
