import { pagerTotal } from '../list-pager';

describe('pagerTotal', () => {
  it('gives the exact count of a list as it is', () => {
    expect(pagerTotal({ count: 120, hasMore: true, last: 50 })).toBe(120);
  });

  it('lets a capped search page on past the cap while another page follows, and stop at its last', () => {
    // 50 a page, 1,000 counted: page 20 ends at the cap, page 21 is past it, page 23 is the last.
    expect(Math.ceil(pagerTotal({ count: 1000, countCapped: true, hasMore: true, last: 1000 }) / 50)).toBe(21);
    expect(Math.ceil(pagerTotal({ count: 1000, countCapped: true, hasMore: true, last: 1050 }) / 50)).toBe(22);
    expect(Math.ceil(pagerTotal({ count: 1000, countCapped: true, hasMore: false, last: 1120 }) / 50)).toBe(23);
    // From the first page: more than 1,000 match, so the page holding the 1,001st exists.
    expect(Math.ceil(pagerTotal({ count: 1000, countCapped: true, hasMore: true, last: 50 }) / 50)).toBe(21);
  });
});
