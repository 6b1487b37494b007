/**
 * The total the pager is given. A search's count may be capped (more than `count` match): then it knows the rows
 * seen so far, and one more page while the server says one follows, so paging goes on past the cap.
 */
export function pagerTotal(p: { count: number; countCapped?: boolean; hasMore?: boolean; last: number }): number {
  if (!p.countCapped) return p.count;
  return Math.max(p.count, p.last) + (p.hasMore ? 1 : 0);
}
